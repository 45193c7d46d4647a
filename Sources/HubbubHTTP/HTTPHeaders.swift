/// An ordered list of header fields with case-insensitive lookup by name.
///
/// Field order and repeated names are preserved exactly as added (or as received).
/// Two header lists are equal when they hold the same fields in the same order, names
/// compared ignoring ASCII case and values compared exactly.
public struct HTTPHeaders: Sendable, Sequence, Equatable, ExpressibleByDictionaryLiteral, CustomStringConvertible {
    /// One header field.
    public typealias Element = (name: String, value: String)

    private var fields: [Element]

    /// An empty header list.
    public init() {
        fields = []
    }

    /// A header list holding `pairs` (name, value) in order.
    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { (name: $0.0, value: $0.1) }
    }

    /// A header list from a literal such as `["Host": "example.com"]`, in literal order.
    public init(dictionaryLiteral elements: (String, String)...) {
        self.init(elements)
    }

    /// Number of fields (repeated names counted once per field).
    public var count: Int { fields.count }

    /// Whether the list holds no field.
    public var isEmpty: Bool { fields.isEmpty }

    /// Appends a field, keeping any existing field with the same name.
    public mutating func add(name: String, value: String) {
        fields.append((name: name, value: value))
    }

    /// Sets the value of the first field named `name` (case-insensitive) and removes every
    /// later field with that name; appends the field if none exists.
    public mutating func replaceOrAdd(name: String, value: String) {
        guard let first = fields.firstIndex(where: { ASCII.caseInsensitiveEquals($0.name, name) }) else {
            add(name: name, value: value)
            return
        }
        fields[first].value = value
        var index = fields.index(after: first)
        while index < fields.endIndex {
            if ASCII.caseInsensitiveEquals(fields[index].name, name) {
                fields.remove(at: index)
            } else {
                index += 1
            }
        }
    }

    /// Removes every field named `name` (case-insensitive).
    public mutating func remove(name: String) {
        fields.removeAll { ASCII.caseInsensitiveEquals($0.name, name) }
    }

    /// The value of the first field named `name` (case-insensitive), or nil.
    public subscript(name: String) -> String? {
        fields.first { ASCII.caseInsensitiveEquals($0.name, name) }?.value
    }

    /// The values of every field named `name` (case-insensitive), in order.
    public func values(for name: String) -> [String] {
        fields.compactMap { ASCII.caseInsensitiveEquals($0.name, name) ? $0.value : nil }
    }

    /// Whether any field named `name` exists (case-insensitive).
    public func contains(name: String) -> Bool {
        fields.contains { ASCII.caseInsensitiveEquals($0.name, name) }
    }

    /// Whether the comma-separated token lists of the fields named `name` contain `token`,
    /// both compared ignoring ASCII case and list elements trimmed of SP/HTAB
    /// (for example `containsToken("upgrade", in: "Connection")` for
    /// `Connection: keep-alive, Upgrade`).
    public func containsToken(_ token: String, in name: String) -> Bool {
        let wanted = ASCII.trimmingWhitespace(token.utf8)
        guard !wanted.isEmpty else { return false }
        for field in fields where ASCII.caseInsensitiveEquals(field.name, name) {
            for element in field.value.utf8.split(separator: ASCII.comma, omittingEmptySubsequences: true)
            where ASCII.caseInsensitiveEquals(ASCII.trimmingWhitespace(element), wanted) {
                return true
            }
        }
        return false
    }

    /// Iterates the fields in order.
    public func makeIterator() -> IndexingIterator<[Element]> {
        fields.makeIterator()
    }

    /// `name: value` lines, one per field.
    public var description: String {
        fields.map { "\($0.name): \($0.value)" }.joined(separator: "\n")
    }

    public static func == (lhs: HTTPHeaders, rhs: HTTPHeaders) -> Bool {
        lhs.fields.count == rhs.fields.count
            && zip(lhs.fields, rhs.fields).allSatisfy {
                ASCII.caseInsensitiveEquals($0.name, $1.name) && $0.value == $1.value
            }
    }
}
