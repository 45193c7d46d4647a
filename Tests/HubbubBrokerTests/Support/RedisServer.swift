import Foundation
import Glibc
import Synchronization

/// A throw-away redis-server for tests: Debian's `/usr/bin/redis-server` on a free
/// loopback port, no persistence, in a temporary directory.
///
/// ``shared()`` is the one server of the test process, started on first use; tests that
/// stop the server or need a password make their own (``start(password:)``). Nothing
/// outlives the test process: an `atexit` handler kills every server still running, and
/// a watchdog shell started with each server kills it (and removes its directory) if the
/// test process dies without running `atexit`.
///
/// A missing binary is an error, never a skip: CI installs Debian's `redis-server`.
final class RedisServer: Sendable {
    static let binary = "/usr/bin/redis-server"

    let port: Int
    let root: String
    let password: String?
    private let process = Mutex<Process?>(nil)

    var pidFile: String { "\(root)/redis.pid" }
    var logFile: String { "\(root)/redis.log" }

    /// The broker URL of this server (with its password, when it has one).
    func url(database: Int = 0, password override: String?? = nil) -> String {
        let secret = override ?? password
        return "redis://\(secret.map { ":\($0)@" } ?? "")127.0.0.1:\(port)/\(database)"
    }

    // MARK: Life

    private static let sharedServer = Mutex<Task<RedisServer, any Error>?>(nil)

    static func shared() async throws -> RedisServer {
        let task = sharedServer.withLock { shared in
            if let shared { return shared }
            let task = Task { try await start() }
            shared = task
            return task
        }
        return try await task.value
    }

    static func start(password: String? = nil) async throws -> RedisServer {
        try await offloaded {
            let server = try RedisServer(password: password)
            try server.launch()
            return server
        }
    }

    private init(password: String?) throws {
        guard FileManager.default.isExecutableFile(atPath: Self.binary) else {
            throw ServerError("\(Self.binary) not found: install Debian's `redis-server` (scripts/install-deps.sh --test)")
        }
        self.password = password
        root = FileManager.default.temporaryDirectory.path + "/hubbub-redis-\(UUID().uuidString.lowercased().prefix(8))"
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        port = try Self.freeLoopbackPort()
        Self.running.withLock { $0.append(self) }
        Self.installExitHandler()
        try startWatchdog()
    }

    /// Starts redis-server (again, after ``kill()``: same port) and waits until it answers.
    func launch() throws {
        var arguments = [
            "--port", "\(port)", "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--daemonize", "no",
            "--dir", root, "--pidfile", pidFile, "--logfile", logFile,
        ]
        if let password { arguments += ["--requirepass", password] }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: root)
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process.withLock { $0 = process }

        let deadline = ContinuousClock.now + .seconds(20)
        while ContinuousClock.now < deadline {
            if ping() { return }
            guard process.isRunning else { throw ServerError("redis-server exited: \(logTail())") }
            usleep(20_000)
        }
        throw ServerError("redis-server did not answer within 20 s: \(logTail())")
    }

    /// SIGKILL, and waits until the process is gone (a crash, as far as clients know).
    func kill() async throws {
        guard let process = process.withLock({ $0 }) else { return }
        let pid = process.processIdentifier
        guard pid > 0 else { return }  // already reaped (Foundation sets -1): never kill(-1)
        Glibc.kill(pid, SIGKILL)
        // Polled with a limit (not `waitUntilExit`): a wait that cannot end fails the test.
        let deadline = ContinuousClock.now + .seconds(20)
        while Self.isAlive(pid) {
            guard ContinuousClock.now < deadline else { throw ServerError("redis-server \(pid) still alive 20 s after SIGKILL") }
            try await Task.sleep(for: .milliseconds(10))
        }
        self.process.withLock { $0 = nil }
    }

    /// Sends `signal` to the server (SIGSTOP freezes it: connections stay open, nothing
    /// answers).
    func signal(_ signal: Int32) {
        guard let process = process.withLock({ $0 }) else { return }
        Glibc.kill(process.processIdentifier, signal)
    }

    /// Whether something on the port answers PING (PONG, or NOAUTH with a password).
    private func ping() -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var timeout = timeval(tv_sec: 1, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = Self.loopback(port: port)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else { return false }
        let request = Array("PING\r\n".utf8)
        guard write(fd, request, request.count) == request.count else { return false }
        var buffer = [UInt8](repeating: 0, count: 64)
        let count = read(fd, &buffer, buffer.count)
        guard count > 0 else { return false }
        let reply = String(decoding: buffer[..<count], as: UTF8.self)
        return reply.hasPrefix("+PONG") || reply.hasPrefix("-NOAUTH")
    }

    /// Kills the server and removes the directory if this process dies: a shell polling our pid.
    private func startWatchdog() throws {
        let script = """
            while kill -0 \(getpid()) 2>/dev/null; do sleep 0.5; done
            pid=$(cat '\(pidFile)' 2>/dev/null)
            if [ -n "$pid" ]; then kill -9 "$pid" 2>/dev/null; fi
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

    private static let running = Mutex<[RedisServer]>([])
    private static let exitHandlerInstalled = Mutex(false)

    private static func installExitHandler() {
        let install = exitHandlerInstalled.withLock { installed in
            defer { installed = true }
            return !installed
        }
        if install { atexit { RedisServer.stopAllAtExit() } }
    }

    /// SIGKILL to every server still running, waiting up to 5 s for each to be gone.
    private static func stopAllAtExit() {
        for server in running.withLock({ $0 }) {
            if let process = server.process.withLock({ $0 }) {
                let pid = process.processIdentifier
                Glibc.kill(pid, SIGKILL)
                for _ in 0..<500 where isAlive(pid) { usleep(10_000) }
            }
            try? FileManager.default.removeItem(atPath: server.root)
        }
    }

    /// Alive and not a zombie.
    private static func isAlive(_ pid: pid_t) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return false }
        guard let close = stat.lastIndex(of: ")") else { return false }
        return stat[stat.index(close, offsetBy: 2)] != "Z"
    }

    // MARK: Ports

    static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return address
    }

    static func freeLoopbackPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw ServerError("socket: errno \(errno)") }
        defer { close(fd) }
        var address = loopback(port: 0)
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
