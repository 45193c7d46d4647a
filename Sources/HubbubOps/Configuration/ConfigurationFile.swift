/// Settings from a configuration file (TOML), the environment and the command line, in
/// that order of precedence (the command line wins), turned into one argument list for
/// swift-argument-parser, so that every flag of a command has a file key and an
/// environment variable without any code of its own. I/O-free (``load(path:)`` aside).
///
/// Naming, for a flag `--max-connections`:
/// - file: `max-connections = 5000` at the top level; for `--jwt-secret`, either
///   `jwt-secret = "..."`, `jwt.secret = "..."`, or `secret = "..."` under `[jwt]`
///   (a key's full path, joined with `-`, is the flag's name; aliases work too);
/// - environment: `HUBBUB_MAX_CONNECTIONS`, `HUBBUB_JWT_SECRET` (``environmentVariable(for:)``).
///
/// A flag given on the command line ignores the file and the environment entirely
/// (a repeatable option's command-line values replace theirs, not add to them); else the
/// environment's value replaces the file's.
public enum ConfigurationFile {
    /// The prefix of every environment variable that sets a flag.
    public static let environmentPrefix = "HUBBUB_"

    /// Flags that only the command line (or the environment) can give: the file's own
    /// path, and the parser's built-in requests.
    public static let notInFile: Set<String> = ["config", "help", "version", "experimental-dump-help"]

    /// The effective arguments: see ``resolve(commandLine:file:fileName:environment:knownFlags:)``.
    public static func effectiveArguments(
        commandLine: [String], file: String?, fileName: String = "configuration file",
        environment: [String: String], knownFlags: [FlagSpec]
    ) throws(ConfigurationError) -> [String] {
        try resolve(commandLine: commandLine, file: file, fileName: fileName, environment: environment,
                    knownFlags: knownFlags).arguments
    }

    /// Resolves the three sources.
    ///
    /// - Parameters:
    ///   - commandLine: the command's own arguments (after the subcommand name).
    ///   - file: the configuration file's text, if there is one.
    ///   - fileName: how errors name the file (its path).
    ///   - environment: the process environment; only `HUBBUB_*` variables are read.
    ///   - knownFlags: the command's flags.
    /// - Throws: every problem at once: TOML syntax, unknown keys (with the nearest valid
    ///   name), wrong types, values the flag's validator refuses, a setting given twice.
    public static func resolve(
        commandLine: [String], file: String?, fileName: String = "configuration file",
        environment: [String: String], knownFlags: [FlagSpec]
    ) throws(ConfigurationError) -> ResolvedConfiguration {
        var byName: [String: FlagSpec] = [:]
        for spec in knownFlags {
            for name in spec.allNames { byName[name] = spec }
            if let inversion = spec.inversion { byName[inversion] = spec }
        }
        var problems: [ConfigurationError.Problem] = []
        let given = CommandLineScan.givenFlags(commandLine, names: byName)

        // The file.
        var fromFile: [String: (SettingValue.Converted, ConfigurationError.Source)] = [:]
        if let file {
            do {
                let document = try TOMLDocument.parse(file)
                for entry in document.entries {
                    let source = ConfigurationError.Source.file(name: fileName, line: entry.line, column: entry.column)
                    let key = entry.path.joined(separator: ".")
                    let name = entry.path.joined(separator: "-")
                    guard let spec = byName[name], !notInFile.contains(spec.name), spec.inversion != name else {
                        problems.append(.init(source: source, message: unknownKeyMessage(entry.path, byName: byName)))
                        continue
                    }
                    if let (_, earlier) = fromFile[spec.name] {
                        problems.append(.init(source: source, message: "'\(key)' sets --\(spec.name) again (first at \(earlier))"))
                        continue
                    }
                    switch SettingValue.fromTOML(entry.value, for: spec, key: key) {
                    case .success(let converted): fromFile[spec.name] = (converted, source)
                    case .failure(let problem): problems.append(.init(source: source, message: problem.message))
                    }
                }
            } catch {
                problems.append(.init(source: .file(name: fileName, line: error.line, column: error.column), message: error.reason))
            }
        }

        // The environment.
        var fromEnvironment: [String: (SettingValue.Converted, ConfigurationError.Source)] = [:]
        var used: Set<String> = []
        for spec in knownFlags {
            for name in spec.allNames {
                let variable = environmentVariable(for: name)
                guard let text = environment[variable] else { continue }
                used.insert(variable)
                let source = ConfigurationError.Source.environment(variable: variable)
                if let (_, earlier) = fromEnvironment[spec.name] {
                    problems.append(.init(source: source, message: "sets --\(spec.name) again (also \(earlier))"))
                    continue
                }
                switch SettingValue.fromEnvironment(text, for: spec, variable: variable) {
                case .success(let converted): fromEnvironment[spec.name] = (converted, source)
                case .failure(let problem): problems.append(.init(source: source, message: problem.message))
                }
            }
        }
        let unused = environment.keys.filter { $0.hasPrefix(environmentPrefix) && !used.contains($0) }.sorted()

        guard problems.isEmpty else { throw ConfigurationError(problems: problems) }

        // Precedence, in flag order.
        var arguments: [String] = []
        var settings: [ResolvedConfiguration.Setting] = []
        for spec in knownFlags where !given.contains(spec.name) {
            guard let (converted, source) = fromEnvironment[spec.name] ?? fromFile[spec.name] else { continue }
            switch converted {
            case .values(let values):
                for value in values { arguments.append("--\(spec.name)=\(value)") }
                settings.append(.init(flag: spec.name, values: values, source: source))
            case .flag(let state):
                if state {
                    arguments.append("--\(spec.name)")
                } else if let inversion = spec.inversion {
                    arguments.append("--\(inversion)")
                }
                settings.append(.init(flag: spec.name, values: [String(state)], source: source))
            }
        }
        return ResolvedConfiguration(arguments: arguments + commandLine, settings: settings, unusedEnvironment: unused)
    }

    /// `HUBBUB_` and the flag's name upper-cased with `-` as `_`: `max-connections` gives
    /// `HUBBUB_MAX_CONNECTIONS`.
    public static func environmentVariable(for flag: String) -> String {
        environmentPrefix + String(flag.uppercased().map { $0 == "-" ? "_" : $0 })
    }

    /// The configuration file's path: `--config FILE` or `--config=FILE` on the command
    /// line (before any `--`), else `HUBBUB_CONFIG`, else nil.
    public static func configPath(commandLine: [String], environment: [String: String]) -> String? {
        var index = 0
        while index < commandLine.count {
            let argument = commandLine[index]
            if argument == "--" { break }
            if argument == "--config", index + 1 < commandLine.count { return commandLine[index + 1] }
            if argument.hasPrefix("--config=") { return String(argument.dropFirst("--config=".count)) }
            index += 1
        }
        return environment[environmentVariable(for: "config")]
    }

    /// `unknown setting 'jwt.secrt'; did you mean 'jwt.secret' (--jwt-secret)?`
    private static func unknownKeyMessage(_ path: [String], byName: [String: FlagSpec]) -> String {
        let key = path.joined(separator: ".")
        let name = path.joined(separator: "-")
        if let spec = byName[name] {
            return spec.inversion == name
                ? "'\(key)' cannot be set in a file; write '\(spec.name) = false'"
                : "'\(key)' (--\(spec.name)) can only be given on the command line or in the environment"
        }
        let candidates = byName.keys.filter { candidate in
            !notInFile.contains(candidate) && byName[candidate]?.inversion != candidate
        }.sorted()
        guard let suggestion = NearestName.suggestion(for: name, among: candidates) else {
            return "unknown setting '\(key)' (no flag --\(name))"
        }
        let table = path.dropLast().joined(separator: "-")
        if path.count > 1, suggestion.hasPrefix(table + "-") {
            let inTable = path.dropLast().joined(separator: ".") + "." + suggestion.dropFirst(table.count + 1)
            return "unknown setting '\(key)'; did you mean '\(inTable)' (--\(suggestion))?"
        }
        return "unknown setting '\(key)'; did you mean '\(suggestion)'?"
    }
}
