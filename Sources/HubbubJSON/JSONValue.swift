/// A JSON value (RFC 8259) as ``JSONParser`` produces it.
public enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

/// A JSON number, kept both as an exact integer (when it is one) and as a double.
public struct JSONNumber: Equatable, Sendable {
    /// The value when the literal has no fraction or exponent and fits in `Int64`.
    public var integer: Int64?
    /// The value as the nearest double; infinite when the literal overflows.
    public var double: Double

    public init(integer: Int64?, double: Double) {
        self.integer = integer
        self.double = double
    }
}

extension JSONValue {
    /// The member `key` if this is an object that has it.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        return members[key]
    }

    /// The string, if this is one.
    public var stringValue: String? {
        guard case .string(let text) = self else { return nil }
        return text
    }
}
