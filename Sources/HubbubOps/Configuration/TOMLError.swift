/// A TOML syntax error, or a construct outside the supported subset, with its place.
public struct TOMLError: Error, Equatable, Sendable, CustomStringConvertible {
    /// 1-based line and column (in characters) where the problem was found.
    public var line: Int
    public var column: Int
    /// What is wrong, in a sentence without the position.
    public var reason: String

    public init(line: Int, column: Int, reason: String) {
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// `line 3, column 14: expected '=' after the key`
    public var description: String {
        "line \(line), column \(column): \(reason)"
    }
}
