/// A parsed TOML file: every key-value pair with its full key path (table headers and
/// dotted keys joined), in file order, and where its key was written.
public struct TOMLDocument: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        /// `[jwt]` + `secret = ...` gives `["jwt", "secret"]`; so does `jwt.secret = ...`.
        public var path: [String]
        public var value: TOMLValue
        /// 1-based line and column (in characters) of the key.
        public var line: Int
        public var column: Int

        public init(path: [String], value: TOMLValue, line: Int, column: Int) {
            self.path = path
            self.value = value
            self.line = line
            self.column = column
        }
    }

    public var entries: [Entry]

    public init(entries: [Entry] = []) {
        self.entries = entries
    }

    /// Parses `text` (``TOMLParser``).
    public static func parse(_ text: String) throws(TOMLError) -> TOMLDocument {
        var parser = TOMLParser(text)
        return try parser.parseDocument()
    }

    /// The value at a full key path, if the file sets it.
    public subscript(path: String...) -> TOMLValue? {
        entries.first { $0.path == path }?.value
    }
}
