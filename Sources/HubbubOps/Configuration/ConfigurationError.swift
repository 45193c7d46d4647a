/// Everything wrong with a configuration, found at start-up: every problem at once,
/// each with where it came from.
public struct ConfigurationError: Error, Sendable, CustomStringConvertible {
    /// Where a setting or a problem came from.
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        /// A configuration file, its name and the 1-based line and column of the key.
        case file(name: String, line: Int, column: Int)
        /// An environment variable.
        case environment(variable: String)
        case commandLine

        /// `hubbub.toml:3:1`, `environment variable HUBBUB_ECHO`, `command line`.
        public var description: String {
            switch self {
            case .file(let name, let line, let column): "\(name):\(line):\(column)"
            case .environment(let variable): "environment variable \(variable)"
            case .commandLine: "command line"
            }
        }
    }

    public struct Problem: Sendable, Equatable, CustomStringConvertible {
        public var source: Source
        public var message: String

        public init(source: Source, message: String) {
            self.source = source
            self.message = message
        }

        /// `hubbub.toml:3:1: unknown setting 'max-conections'; did you mean 'max-connections'?`
        public var description: String { "\(source): \(message)" }
    }

    public var problems: [Problem]

    public init(problems: [Problem]) {
        self.problems = problems
    }

    /// One problem per line.
    public var description: String {
        problems.map(\.description).joined(separator: "\n")
    }
}
