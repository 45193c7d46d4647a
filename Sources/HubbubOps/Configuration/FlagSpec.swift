/// One long flag of a command, as the configuration resolver needs to know it: its
/// names, whether it takes a value (once or repeatedly) or is a switch, and which
/// values a file or the environment may give it.
public struct FlagSpec: Sendable {
    public enum Kind: Sendable, Equatable {
        /// `--name VALUE`, once.
        case option
        /// `--name VALUE`, any number of times (a TOML array in a file, commas in the environment).
        case repeatable
        /// `--name`, no value (`true` / `false` in a file or the environment).
        case flag
    }

    /// The long name without dashes: `max-connections`.
    public var name: String
    /// Other long names of the same flag (`max-message-bytes`).
    public var aliases: [String]
    public var kind: Kind
    /// What a file or the environment may give an option (ignored for a flag).
    public var valueType: FlagValueType
    /// For a flag with an inversion: the name that turns it off (`no-echo`).
    public var inversion: String?
    /// The default as `--help` shows it, if any (documentation and reference checks).
    public var defaultValue: String?
    /// The help text (documentation).
    public var abstract: String?
    /// A final check of the value as text (the option's own parser), run on values from
    /// a file or the environment so their errors name the file line or the variable.
    public var validate: (@Sendable (String) -> Bool)?

    public init(
        name: String, aliases: [String] = [], kind: Kind, valueType: FlagValueType = .any,
        inversion: String? = nil, defaultValue: String? = nil, abstract: String? = nil,
        validate: (@Sendable (String) -> Bool)? = nil
    ) {
        self.name = name
        self.aliases = aliases
        self.kind = kind
        self.valueType = valueType
        self.inversion = inversion
        self.defaultValue = defaultValue
        self.abstract = abstract
        self.validate = validate
    }

    /// An option taking one value.
    public static func option(_ name: String, _ valueType: FlagValueType = .any, aliases: [String] = []) -> FlagSpec {
        FlagSpec(name: name, aliases: aliases, kind: .option, valueType: valueType)
    }

    /// An option that may be given many times.
    public static func repeatable(_ name: String, _ valueType: FlagValueType = .any) -> FlagSpec {
        FlagSpec(name: name, kind: .repeatable, valueType: valueType)
    }

    /// A switch.
    public static func flag(_ name: String, inversion: String? = nil) -> FlagSpec {
        FlagSpec(name: name, kind: .flag, valueType: .boolean, inversion: inversion)
    }

    /// The name and the aliases.
    public var allNames: [String] { [name] + aliases }
}

/// The values a file or the environment may give an option; the TOML types each accepts.
public enum FlagValueType: Sendable, Equatable {
    /// A TOML string.
    case string
    /// A TOML integer (or its decimal text in the environment).
    case integer
    /// A string such as `10s` or `500ms`, or a number of seconds (integer or float).
    case duration
    /// A string such as `64KiB`, or a number of bytes (integer).
    case size
    /// One of these strings.
    case choice([String])
    /// `true` or `false` (flags).
    case boolean
    /// A string, integer or float, passed on as text (the option's parser decides).
    case any

    /// `an integer`, `a duration ("10s" or seconds)`: for error messages.
    public var expectation: String {
        switch self {
        case .string: "a string"
        case .integer: "an integer"
        case .duration: "a duration (a string such as \"10s\" or \"500ms\", or a number of seconds)"
        case .size: "a size (a string such as \"64KiB\", or a number of bytes)"
        case .choice(let values): "one of " + values.map { "\"\($0)\"" }.joined(separator: ", ")
        case .boolean: "true or false"
        case .any: "a string or a number"
        }
    }
}
