/// The outcome of ``ConfigurationFile/resolve(commandLine:file:fileName:environment:knownFlags:)``.
public struct ResolvedConfiguration: Sendable {
    /// One setting taken from the file or the environment.
    public struct Setting: Sendable, Equatable {
        /// The flag's main name.
        public var flag: String
        /// The values as text (one for an option, any number for a repeatable option,
        /// none for a switch set to false without an inversion).
        public var values: [String]
        public var source: ConfigurationError.Source

        public init(flag: String, values: [String], source: ConfigurationError.Source) {
            self.flag = flag
            self.values = values
            self.source = source
        }
    }

    /// The arguments to parse: the settings from the file and the environment as
    /// `--name=value` (or `--name` for a switch), then the command line unchanged.
    public var arguments: [String]
    /// Where each setting not given on the command line came from, in flag order
    /// (for a start-up log line, and to explain a value the option's parser refuses).
    public var settings: [Setting]
    /// `HUBBUB_*` variables that name no flag (other tools use the prefix too: warn, do
    /// not fail).
    public var unusedEnvironment: [String]

    public init(arguments: [String], settings: [Setting] = [], unusedEnvironment: [String] = []) {
        self.arguments = arguments
        self.settings = settings
        self.unusedEnvironment = unusedEnvironment
    }

    /// The setting behind `flag` (main name or alias), if it came from the file or the environment.
    public func source(of flag: String) -> ConfigurationError.Source? {
        settings.first { $0.flag == flag }?.source
    }
}
