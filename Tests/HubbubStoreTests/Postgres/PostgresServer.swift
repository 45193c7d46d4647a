import Foundation
import Glibc
@testable import HubbubPostgres
import HubbubStore
import Synchronization

/// A throw-away PostgreSQL cluster for tests: `initdb` into a temporary directory, then
/// `postgres` on a free loopback port with its socket in that directory.
///
/// When the tests run as root (initdb refuses root) both run as the `postgres` system
/// user (`setpriv`), with the directory given to it. ``shared()`` is the one server of
/// the test process, started on first use; tests that stop the server make their own
/// (``start()``). Nothing outlives the test process: an `atexit` handler stops every
/// server still running, and a watchdog shell started with each server stops it (and
/// removes its directory) if the test process dies without running `atexit`.
///
/// Missing binaries are an error, never a skip: CI installs Debian's `postgresql`.
final class PostgresServer: Sendable {
    let port: Int
    let root: String
    let bin: String
    private let runAsPostgres: Bool
    private let postmaster = Mutex<Process?>(nil)

    var dataDirectory: String { "\(root)/data" }
    var socketDirectory: String { "\(root)/socket" }
    var logFile: String { "\(root)/postgres.log" }

    /// The libpq URL of `database` as the superuser (trust authentication on loopback).
    func url(database: String = "postgres") -> String {
        "postgresql://postgres@127.0.0.1:\(port)/\(database)"
    }

    // MARK: Life

    private static let sharedServer = Mutex<Task<PostgresServer, any Error>?>(nil)

    /// The server shared by every test of this process.
    static func shared() async throws -> PostgresServer {
        let task = sharedServer.withLock { shared in
            if let shared { return shared }
            let task = Task { try await start() }
            shared = task
            return task
        }
        return try await task.value
    }

    /// A new cluster of its own, running.
    static func start() async throws -> PostgresServer {
        try await offloaded {
            let server = try PostgresServer()
            try server.initialize()
            try server.launch()
            return server
        }
    }

    private init() throws {
        bin = try Self.findBinaries()
        runAsPostgres = geteuid() == 0
        root = FileManager.default.temporaryDirectory.path + "/hubbub-pg-\(UUID().uuidString.lowercased().prefix(8))"
        try FileManager.default.createDirectory(atPath: root + "/socket", withIntermediateDirectories: true)
        if runAsPostgres {
            guard let user = getpwnam("postgres") else {
                throw ServerError("running as root, and there is no `postgres` user to run PostgreSQL as")
            }
            for path in [root, root + "/socket"] {
                guard chown(path, user.pointee.pw_uid, user.pointee.pw_gid) == 0 else {
                    throw ServerError("chown \(path): errno \(errno)")
                }
            }
        }
        port = try Self.freeLoopbackPort()
        Self.running.withLock { $0.append(self) }
        Self.installExitHandler()
        try startWatchdog()
    }

    private func initialize() throws {
        try run(
            "\(bin)/initdb",
            ["-D", dataDirectory, "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C", "--no-sync",
             "--no-instructions"])
    }

    /// Starts the postmaster (again, after ``stop(immediate:)``: same port and data
    /// directory) and waits until it accepts connections.
    func launch() throws {
        let process = Process()
        let (executable, arguments) = command(
            "\(bin)/postgres",
            ["-D", dataDirectory, "-p", "\(port)", "-k", socketDirectory, "-c", "listen_addresses=127.0.0.1",
             "-c", "fsync=on", "-c", "max_connections=300", "-c", "shared_buffers=64MB"])
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        if !FileManager.default.fileExists(atPath: logFile) {
            _ = FileManager.default.createFile(atPath: logFile, contents: nil)
        }
        let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logFile))
        log.seekToEndOfFile()
        process.standardOutput = log
        process.standardError = log
        process.standardInput = FileHandle.nullDevice
        try process.run()
        postmaster.withLock { $0 = process }

        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if (try? PostgresConnection(parameters(database: "postgres"))) != nil { return }
            guard process.isRunning else { throw ServerError("postgres exited: \(logTail())") }
            usleep(50_000)
        }
        throw ServerError("postgres did not accept connections within 60 s: \(logTail())")
    }

    /// Stops the server: `immediate` is a crash as far as the data is concerned (no
    /// checkpoint; the next start recovers from the WAL).
    func stop(immediate: Bool) throws {
        try run("\(bin)/pg_ctl", ["stop", "-D", dataDirectory, "-m", immediate ? "immediate" : "fast", "-w"])
        postmaster.withLock { $0 = nil }
    }

    // MARK: Databases

    /// Creates an empty database and returns its name.
    func createDatabase() async throws -> String {
        let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "").prefix(16)
        try await execute("CREATE DATABASE \(name)")
        return name
    }

    func dropDatabase(_ name: String) async {
        try? await execute("DROP DATABASE IF EXISTS \(name) WITH (FORCE)")
    }

    /// Runs `sql` (no parameters) in `database` on a connection of its own.
    func execute(_ sql: String, database: String = "postgres") async throws {
        let parameters = parameters(database: database)
        try await offloaded {
            let connection = try PostgresConnection(parameters)
            try connection.execute(script: sql)
        }
    }

    /// Runs a query and returns its rows as text.
    func rows(_ sql: String, database: String) async throws -> [[String]] {
        let parameters = parameters(database: database)
        return try await offloaded {
            let result = try PostgresConnection(parameters).execute(script: sql)
            return (0..<result.rowCount).map { row in
                (0..<result.columnCount).map { result.text(row, $0) }
            }
        }
    }

    private func parameters(database: String) -> ConnectionParameters {
        ConnectionParameters(connectionString: url(database: database), connectTimeoutSeconds: 5, statementTimeoutMillis: 0)
    }

    // MARK: Processes

    /// The command line running `executable` as the `postgres` user when we are root.
    private func command(_ executable: String, _ arguments: [String]) -> (String, [String]) {
        guard runAsPostgres else { return (executable, arguments) }
        return ("/usr/bin/setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", "--", executable] + arguments)
    }

    private func run(_ executable: String, _ arguments: [String]) throws {
        let (path, args) = command(executable, arguments)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: path)
        process.arguments = args
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw ServerError("\(executable) \(arguments.joined(separator: " ")) failed: \(text)")
        }
    }

    /// Stops the postmaster and removes the directory if this process dies: a shell
    /// polling our pid.
    private func startWatchdog() throws {
        let script = """
            while kill -0 \(getpid()) 2>/dev/null; do sleep 0.5; done
            pid=$(head -n 1 '\(dataDirectory)/postmaster.pid' 2>/dev/null)
            if [ -n "$pid" ]; then kill -QUIT "$pid" 2>/dev/null; sleep 2; fi
            rm -rf '\(root)'
            """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", script]
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
    }

    private func logTail() -> String {
        let text = (try? String(contentsOfFile: logFile, encoding: .utf8)) ?? ""
        return String(text.suffix(2000))
    }

    // MARK: Exit

    private static let running = Mutex<[PostgresServer]>([])
    private static let exitHandlerInstalled = Mutex(false)

    private static func installExitHandler() {
        let install = exitHandlerInstalled.withLock { installed in
            defer { installed = true }
            return !installed
        }
        if install { atexit { PostgresServer.stopAllAtExit() } }
    }

    /// Immediate shutdown of every server (SIGQUIT to the postmaster, which takes its
    /// backends down with it), waiting up to 10 s for each, then removes its directory.
    private static func stopAllAtExit() {
        for server in running.withLock({ $0 }) {
            if let pid = server.postmasterPID() {
                kill(pid, SIGQUIT)
                for _ in 0..<1000 where isAlive(pid) { usleep(10_000) }
            }
            try? FileManager.default.removeItem(atPath: server.root)
        }
    }

    private func postmasterPID() -> pid_t? {
        guard let text = try? String(contentsOfFile: "\(dataDirectory)/postmaster.pid", encoding: .utf8),
            let first = text.split(separator: "\n").first
        else { return nil }
        return pid_t(first)
    }

    /// Alive and not a zombie.
    private static func isAlive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        guard let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(close, offsetBy: 2)] != "Z"
    }

    // MARK: Discovery

    /// The newest `/usr/lib/postgresql/<version>/bin` holding `initdb` and `postgres`.
    private static func findBinaries() throws -> String {
        let base = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [])
            .compactMap { name in Double(name).map { (name: name, number: $0) } }
            .sorted { $0.number > $1.number }
        for version in versions {
            let bin = "\(base)/\(version.name)/bin"
            if FileManager.default.isExecutableFile(atPath: "\(bin)/initdb"),
                FileManager.default.isExecutableFile(atPath: "\(bin)/postgres")
            {
                return bin
            }
        }
        throw ServerError(
            "PostgreSQL server binaries not found under \(base)/*/bin: install Debian's `postgresql` package "
                + "(scripts/install-deps.sh --test does)")
    }

    private static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError("socket: errno \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        guard bound else { throw ServerError("bind: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

struct ServerError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs blocking work on a thread of its own, not on a Swift concurrency thread.
func offloaded<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}
