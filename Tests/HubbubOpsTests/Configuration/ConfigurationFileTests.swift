import Testing

@testable import HubbubOps

@Suite struct ConfigurationFileTests {
    static let flags: [FlagSpec] = [
        .option("listen", .string),
        .option("io", .choice(["auto", "uring", "epoll"])),
        .flag("echo"),
        .flag("compress", inversion: "no-compress"),
        .option("threads", .integer),
        .option("max-connections", .integer),
        .option("handshake-timeout", .duration),
        .option("max-message-size", .size, aliases: ["max-message-bytes"]),
        .repeatable("allowed-origin", .string),
        .option("jwt-secret", .string),
        .option("presence-grace", .duration),
        .option("config", .string),
    ]

    func resolve(_ commandLine: [String] = [], file: String? = nil, environment: [String: String] = [:]) throws -> ResolvedConfiguration {
        try ConfigurationFile.resolve(commandLine: commandLine, file: file, fileName: "hubbub.toml",
                                      environment: environment, knownFlags: Self.flags)
    }

    func problems(_ commandLine: [String] = [], file: String? = nil, environment: [String: String] = [:]) -> [String] {
        do {
            _ = try ConfigurationFile.resolve(commandLine: commandLine, file: file, fileName: "hubbub.toml",
                                              environment: environment, knownFlags: Self.flags)
            return []
        } catch {
            return error.problems.map(\.description)
        }
    }

    @Test func fileSettingsBecomeFlags() throws {
        let resolved = try resolve(file: """
            max-connections = 5000
            echo = true
            allowed-origin = ["https://a.example", "https://b.example"]
            handshake-timeout = "15s"
            max-message-bytes = "128KiB"
            [jwt]
            secret = "-starts-with-a-dash"
            [presence]
            grace = 30
            """)
        #expect(resolved.arguments == [
            "--echo", "--max-connections=5000", "--handshake-timeout=15s", "--max-message-size=128KiB",
            "--allowed-origin=https://a.example", "--allowed-origin=https://b.example",
            "--jwt-secret=-starts-with-a-dash", "--presence-grace=30",
        ])
        #expect(resolved.source(of: "jwt-secret") == .file(name: "hubbub.toml", line: 7, column: 1))
    }

    @Test func precedenceIsFileThenEnvironmentThenCommandLine() throws {
        let file = """
            max-connections = 5000
            threads = 2
            listen = "0.0.0.0:80"
            allowed-origin = ["https://file.example"]
            """
        let environment = ["HUBBUB_THREADS": "4", "HUBBUB_LISTEN": "127.0.0.1:9000", "HUBBUB_ALLOWED_ORIGIN": "https://env.example"]
        let resolved = try resolve(
            ["--listen", "[::1]:7000", "--allowed-origin=https://cli.example"], file: file, environment: environment)
        #expect(resolved.arguments == [
            "--threads=4", "--max-connections=5000",
            "--listen", "[::1]:7000", "--allowed-origin=https://cli.example",
        ])
        #expect(resolved.source(of: "threads") == .environment(variable: "HUBBUB_THREADS"))
        #expect(resolved.source(of: "max-connections") == .file(name: "hubbub.toml", line: 1, column: 1))
        #expect(resolved.source(of: "listen") == nil)
    }

    @Test func commandLineIsKeptAsGivenAndLast() throws {
        let resolved = try resolve(["--echo", "--threads", "3", "--", "--max-connections"],
                                   file: "max-connections = 10\nthreads = 1\necho = false")
        #expect(resolved.arguments == ["--max-connections=10", "--echo", "--threads", "3", "--", "--max-connections"])
    }

    @Test func aliasesOnTheCommandLineCount() throws {
        let resolved = try resolve(["--max-message-bytes=1MiB"], file: "max-message-size = \"2MiB\"")
        #expect(resolved.arguments == ["--max-message-bytes=1MiB"])
    }

    @Test func booleans() throws {
        #expect(try resolve(file: "echo = true").arguments == ["--echo"])
        #expect(try resolve(file: "echo = false").arguments == [])
        #expect(try resolve(file: "compress = false").arguments == ["--no-compress"])
        #expect(try resolve(environment: ["HUBBUB_ECHO": "1"]).arguments == ["--echo"])
        #expect(try resolve(file: "echo = true", environment: ["HUBBUB_ECHO": "false"]).arguments == [])
        #expect(try resolve(["--no-compress"], file: "compress = true").arguments == ["--no-compress"])
    }

    @Test func repeatedFlagsFromEveryWhere() throws {
        #expect(try resolve(file: "allowed-origin = \"https://one.example\"").arguments == ["--allowed-origin=https://one.example"])
        #expect(try resolve(environment: ["HUBBUB_ALLOWED_ORIGIN": "https://a.example, https://b.example,"]).arguments
            == ["--allowed-origin=https://a.example", "--allowed-origin=https://b.example"])
        #expect(try resolve(file: "allowed-origin = []").arguments == [])
    }

    @Test func durationsAndSizesAcceptNumbers() throws {
        #expect(try resolve(file: "handshake-timeout = 2.5\nmax-message-size = 65536").arguments
            == ["--handshake-timeout=2.5", "--max-message-size=65536"])
    }

    @Test func environmentNames() {
        #expect(ConfigurationFile.environmentVariable(for: "max-connections") == "HUBBUB_MAX_CONNECTIONS")
        #expect(ConfigurationFile.environmentVariable(for: "jwt-secret") == "HUBBUB_JWT_SECRET")
    }

    @Test func unusedEnvironmentIsReportedNotRefused() throws {
        let resolved = try resolve(environment: ["HUBBUB_BIN": "/x", "HUBBUB_THREADS": "2", "PATH": "/bin"])
        #expect(resolved.unusedEnvironment == ["HUBBUB_BIN"])
    }

    @Test func unknownKeysSuggestTheNearestName() {
        #expect(problems(file: "max-conections = 5") == [
            "hubbub.toml:1:1: unknown setting 'max-conections'; did you mean 'max-connections'?",
        ])
        #expect(problems(file: "[jwt]\nsecrt = \"x\"") == [
            "hubbub.toml:2:1: unknown setting 'jwt.secrt'; did you mean 'jwt.secret' (--jwt-secret)?",
        ])
        #expect(problems(file: "[jtw]\nsecret = \"x\"") == [
            "hubbub.toml:2:1: unknown setting 'jtw.secret'; did you mean 'jwt-secret'?",
        ])
        #expect(problems(file: "colour = \"blue\"") == ["hubbub.toml:1:1: unknown setting 'colour' (no flag --colour)"])
        #expect(problems(file: "config = \"other.toml\"") == [
            "hubbub.toml:1:1: 'config' (--config) can only be given on the command line or in the environment",
        ])
        #expect(problems(file: "no-compress = true") == [
            "hubbub.toml:1:1: 'no-compress' cannot be set in a file; write 'compress = false'",
        ])
    }

    @Test func wrongTypesAreReportedAllAtOnce() {
        #expect(problems(file: """
            max-connections = "lots"
            echo = "yes"
            io = "kqueue"
            listen = 8080
            allowed-origin = [1]
            threads = [1, 2]
            handshake-timeout = -1.5
            """, environment: ["HUBBUB_THREADS": "two", "HUBBUB_ECHO": "maybe"]) == [
            "hubbub.toml:1:1: 'max-connections' must be an integer, not a string",
            "hubbub.toml:2:1: 'echo' must be true or false, not a string",
            "hubbub.toml:3:1: 'io' must be one of \"auto\", \"uring\", \"epoll\", not 'kqueue'",
            "hubbub.toml:4:1: 'listen' must be a string, not an integer",
            "hubbub.toml:5:1: 'allowed-origin' must be a string, not an integer",
            "hubbub.toml:6:1: 'threads' takes one value, not an array",
            "hubbub.toml:7:1: 'handshake-timeout' must be a finite number of seconds",
            "environment variable HUBBUB_ECHO: must be true or false (or 1/0, yes/no, on/off), not 'maybe'",
            "environment variable HUBBUB_THREADS: 'HUBBUB_THREADS' must be an integer, not 'two'",
        ])
    }

    @Test func aSettingGivenTwiceIsAnError() {
        #expect(problems(file: "jwt-secret = \"a\"\n[jwt]\nsecret = \"b\"") == [
            "hubbub.toml:3:1: 'jwt.secret' sets --jwt-secret again (first at hubbub.toml:1:1)",
        ])
        #expect(problems(file: "max-message-size = 1\nmax-message-bytes = 2") == [
            "hubbub.toml:2:1: 'max-message-bytes' sets --max-message-size again (first at hubbub.toml:1:1)",
        ])
    }

    @Test func syntaxErrorsCarryThePosition() {
        #expect(problems(file: "threads = 2\nlisten = \"x") == ["hubbub.toml:2:12: unterminated string: missing '\"'"])
    }

    @Test func validatorsRunOnFileAndEnvironmentValues() throws {
        var flags = Self.flags
        flags[6].validate = { !$0.contains(" ") }
        let resolve = { (file: String) throws(ConfigurationError) in
            try ConfigurationFile.resolve(commandLine: [], file: file, fileName: "f", environment: [:], knownFlags: flags)
        }
        #expect(try resolve("handshake-timeout = \"10s\"").arguments == ["--handshake-timeout=10s"])
        #expect(throws: ConfigurationError.self) { try resolve("handshake-timeout = \"10 minutes\"") }
    }

    @Test func configPathFromCommandLineOrEnvironment() {
        #expect(ConfigurationFile.configPath(commandLine: ["--echo", "--config", "a.toml"], environment: [:]) == "a.toml")
        #expect(ConfigurationFile.configPath(commandLine: ["--config=b.toml"], environment: ["HUBBUB_CONFIG": "c"]) == "b.toml")
        #expect(ConfigurationFile.configPath(commandLine: [], environment: ["HUBBUB_CONFIG": "c.toml"]) == "c.toml")
        #expect(ConfigurationFile.configPath(commandLine: ["--", "--config", "x"], environment: [:]) == nil)
    }

    @Test func effectiveArgumentsIsTheShortForm() throws {
        #expect(try ConfigurationFile.effectiveArguments(
            commandLine: ["--echo"], file: "threads = 2", environment: [:], knownFlags: Self.flags) == ["--threads=2", "--echo"])
    }

    @Test func loadReadsAFileAndReportsAMissingOne() throws {
        #expect(throws: ConfigurationError.self) { try ConfigurationFile.load(path: "/nonexistent/hubbub.toml") }
        let text = try ConfigurationFile.load(path: "/proc/self/status")
        #expect(text.contains("Name:"))
    }

    @Test func nearestName() {
        #expect(NearestName.editDistance("kitten", "sitting") == 3)
        #expect(NearestName.suggestion(for: "treads", among: ["threads", "listen"]) == "threads")
        #expect(NearestName.suggestion(for: "zzz", among: ["threads", "listen"]) == nil)
    }
}
