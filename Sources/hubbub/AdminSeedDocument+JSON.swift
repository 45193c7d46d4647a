import HubbubJSON

/// Reading the parsed JSON of a seed file; every error names its place in the document.
extension AdminSeedDocument {
    /// The members of an object, refusing keys outside `keys`.
    static func object(_ value: JSONValue, _ path: String, keys: Set<String>) throws(AdminError)
        -> [String: JSONValue]
    {
        guard case .object(let fields) = value else { throw .usage("\(path) must be a JSON object") }
        if let unknown = fields.keys.sorted().first(where: { !keys.contains($0) }) {
            throw .usage("\(path): unknown key \"\(unknown)\" (expected \(keys.sorted().joined(separator: ", ")))")
        }
        return fields
    }

    /// The array, `[]` when absent and not `required`.
    static func array(_ value: JSONValue?, _ path: String, required: Bool = false) throws(AdminError)
        -> [JSONValue]
    {
        switch value {
        case .array(let items)?: return items
        case nil where !required: return []
        case nil: throw .usage("\(path) is missing")
        default: throw .usage("\(path) must be an array")
        }
    }

    /// A required string member.
    static func string(_ fields: [String: JSONValue], _ key: String, _ path: String) throws(AdminError)
        -> String
    {
        guard let value = try optionalString(fields, key, path) else { throw .usage("\(path).\(key) is missing") }
        return value
    }

    /// A string member; `nil` when absent or `null`.
    static func optionalString(_ fields: [String: JSONValue], _ key: String, _ path: String)
        throws(AdminError) -> String?
    {
        switch fields[key] {
        case nil, .null?: return nil
        case .string(let text)?: return text
        default: throw .usage("\(path).\(key) must be a string")
        }
    }
}
