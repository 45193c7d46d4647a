import ArgumentParser
import Glibc
import HubbubIO
import HubbubOps

/// The flags of `hubbub serve` as the configuration file and the environment see them
/// (docs/configuration-file.md). There is no list to keep up to date: the flags are read
/// from swift-argument-parser's own description of `Serve` (the JSON that
/// `hubbub serve --experimental-dump-help` prints), so a flag added to `Serve` or
/// `HubOptions` gets its file key and `HUBBUB_*` variable at once. Its value type is
/// inferred from its default (`100` integer, `10s` duration, `64KiB` size, an enum's
/// cases); ``refinements`` fixes the ones without a telling default, and durations and
/// sizes are checked with the same parsers the flags use.
enum ConfigFlags {
    /// `hubbub serve`'s flags.
    static func serve() -> [FlagSpec] {
        guard let specs = FlagSpec.fromDumpHelp(Array(dumpHelp(["serve"]).utf8)) else {
            preconditionFailure("swift-argument-parser did not describe `hubbub serve`")
        }
        return specs.map(withParser).refined(with: refinements)
    }

    /// Value types for flags whose default says too little (none, or a free string).
    /// Flags not named here keep the inferred type; `.any` passes strings and numbers on
    /// as text and lets the option's parser decide.
    static let refinements: [String: (FlagValueType, (@Sendable (String) -> Bool)?)] = [
        "listen": (.string, { SocketAddress(argument: $0) != nil }),
        "threads": (.integer, nil),
        "log-level": (.choice(["trace", "debug", "info", "notice", "warning", "error", "critical"]), nil),
        "log-format": (.choice(LogFormat.allCases.map(\.rawValue)), nil),
        "data-dir": (.string, nil),
        "jwt-secret": (.string, nil),
        "jwt-public-key": (.string, nil),
        "jwt-issuer": (.string, nil),
        "jwt-audience": (.string, nil),
    ]

    /// The arguments `hubbub serve` parses: `commandLine` (what follows `serve`) with the
    /// configuration file (`--config FILE` or `$HUBBUB_CONFIG`) and the `HUBBUB_*`
    /// variables folded in. A request for help is passed through untouched, so a broken
    /// file never hides `--help`.
    static func serveArguments(commandLine: [String], environment: [String: String]) throws(ConfigurationError) -> ResolvedConfiguration {
        let helpRequests: Set<String> = ["-h", "--help", "--experimental-dump-help"]
        if commandLine.contains(where: helpRequests.contains) {
            return ResolvedConfiguration(arguments: commandLine, settings: [], unusedEnvironment: [])
        }
        let path = ConfigurationFile.configPath(commandLine: commandLine, environment: environment)
        let text = try path.map { (path) throws(ConfigurationError) in try ConfigurationFile.load(path: path) }
        return try ConfigurationFile.resolve(
            commandLine: commandLine, file: text, fileName: path ?? "configuration file",
            environment: environment, knownFlags: serve())
    }

    /// `hubbub`'s arguments (without the program name) with, for `serve`, the configuration
    /// folded in (``serveArguments(commandLine:environment:)``). On a configuration error
    /// it prints every problem to standard error and exits with status 64 (`EX_USAGE`,
    /// as for a bad flag).
    static func resolvingServeConfiguration(_ arguments: [String]) -> [String] {
        guard arguments.first == "serve" else { return arguments }
        do {
            let resolved = try serveArguments(commandLine: Array(arguments.dropFirst()), environment: processEnvironment())
            return ["serve"] + resolved.arguments
        } catch {
            let message = "Error: configuration of hubbub serve\n\(error)\n"
            FileDescriptorLogWriter(descriptor: STDERR_FILENO).write(line: Array(message.utf8))
            Glibc.exit(64)
        }
    }

    /// The process environment, from `environ`.
    static func processEnvironment() -> [String: String] {
        var environment: [String: String] = [:]
        var entry = environ
        while let pointer = entry.pointee {
            let text = String(cString: pointer)
            if let equals = text.firstIndex(of: "=") {
                environment[String(text[..<equals])] = String(text[text.index(after: equals)...])
            }
            entry += 1
        }
        return environment
    }

    /// What swift-argument-parser prints for `hubbub PATH... --experimental-dump-help`.
    private static func dumpHelp(_ path: [String]) -> String {
        do {
            _ = try Hubbub.parseAsRoot(path + ["--experimental-dump-help"])
        } catch {
            return Hubbub.fullMessage(for: error)
        }
        return ""
    }

    /// Durations and sizes checked with the flags' own parsers.
    private static func withParser(_ spec: FlagSpec) -> FlagSpec {
        var spec = spec
        switch spec.valueType {
        case .duration: spec.validate = { DurationArgument(argument: $0) != nil }
        case .size: spec.validate = { ByteSizeArgument(argument: $0) != nil }
        default: break
        }
        return spec
    }
}
