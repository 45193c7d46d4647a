import ArgumentParser
import Glibc
import HubbubIO
import Logging

/// `hubbub-load`: opens many WebSocket connections to a Hubbub server (or any RFC 6455
/// echo server), drives echo traffic or holds them idle, then reports throughput,
/// latency percentiles, and the server's memory and CPU.
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hubbub-load",
        abstract: "Open many WebSocket connections, time echoed messages or hub events, and measure the server.",
        discussion: """
            Phases: connect (at most --connect-concurrency connects and handshakes in \
            flight), measure for --duration (echo: timestamped binary messages, closed \
            loop or --rate per connection; idle: nothing; hub: hubbub.v1 at /ws, every \
            connection joins room i % --rooms, publishers send comments and everyone times \
            their fan-out), then close every connection with a 1000 closing handshake. With \
            --server-pid the server's RSS and CPU are read from /proc. Exit status 1 when \
            fewer than --connections connected or any error occurred (hub: also any event \
            lost, duplicated or out of order). Ctrl-C ends the current phase early and still \
            reports. --seed-file writes the seed document for `hubbub admin seed` and exits.
            """
    )

    @Option(help: "Server endpoint, ws://HOST:PORT/PATH (an echo endpoint for --mode echo, /ws for --mode hub).")
    var url: String?

    @Option(help: "Hub mode: publishers connect here instead (another node of a cluster: every delivery then crosses nodes).")
    var publisherUrl: String?

    @Option(help: "Connections to open.")
    var connections = 1000

    @Option(help: "Seconds to measure once the connections are up.")
    var duration: Double = 10

    @Option(help: "Write the results to this file as JSON.")
    var json: String?

    @Option(help: "echo: send messages and time their echoes; idle: only hold the connections; hub: the hubbub.v1 scenario.")
    var mode: LoadMode = .echo

    @Option(help: "Bytes per message, at least 16 (send time and sequence number, then filler).")
    var messageSize = 64

    @Option(help: """
        Messages per second per connection; 0 = closed loop, one message in flight per connection. \
        Hub mode: comments per second per room (across its publishers); 0 = as fast as acks allow, one in flight per publisher.
        """)
    var rate: Double = 0

    @Option(help: "Client event loops (threads).")
    var threads = 1

    @Option(help: "Client I/O backend: auto (io_uring, else epoll), uring or epoll.")
    var io: IOChoice = .auto

    @Option(help: "Process id of the server: report its RSS and CPU from /proc.")
    var serverPid: Int32?

    @Option(help: "Most connects (TCP connect plus handshake) in progress at once.")
    var connectConcurrency = 256

    @Option(help: "Seconds allowed for all connections to come up; the rest count as errors.")
    var connectTimeout: Double = 30

    @Option(help: "Offer this subprotocol in Sec-WebSocket-Protocol (hub mode: hubbub.v1 unless given).")
    var subprotocol: String?

    @Option(help: "Hub mode: rooms; connection i joins room i % rooms as user i.")
    var rooms = 1

    @Option(help: "Hub mode: publishers per room (the room's first connections).")
    var publishersPerRoom = 1

    @Option(help: "Hub mode: the server's HS256 secret (hubbub serve --jwt-secret), to mint each user's token.")
    var jwtSecret: String?

    @Option(help: "Hub mode: room (project) ids are this prefix and the room number.")
    var projectPrefix = "lt_"

    @Option(help: "Hub mode: user ids (and usernames) are this prefix and the connection number.")
    var userPrefix = "lu_"

    @Option(help: "Write the seed document for `hubbub admin seed` (rooms, members, col_0 with card_0) to this file and exit.")
    var seedFile: String?

    @Flag(help: "Hub mode: read every server message with the full JSON parser instead of the targeted scan.")
    var hubFullParse = false

    @Flag(help: "No progress lines on stderr.")
    var quiet = false

    func validate() throws {
        guard connections >= 1 else { throw ValidationError("--connections must be at least 1") }
        guard rooms >= 1, rooms <= connections else { throw ValidationError("--rooms must be between 1 and --connections") }
        guard publishersPerRoom >= 0 else { throw ValidationError("--publishers-per-room must not be negative") }
        for (flag, prefix) in [("--project-prefix", projectPrefix), ("--user-prefix", userPrefix)] {
            let forbidden: Set<UInt8> = [UInt8(ascii: "\""), UInt8(ascii: "\\")]
            guard !prefix.isEmpty, prefix.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && !forbidden.contains($0) }) else {
                throw ValidationError("\(flag) must be visible ASCII without quotes or backslashes")
            }
        }
        if seedFile != nil { return }  // writes the file and exits: nothing else is needed
        guard let url else { throw ValidationError("--url is required (unless --seed-file)") }
        if mode == .hub {
            guard let jwtSecret, !jwtSecret.isEmpty else { throw ValidationError("--mode hub needs --jwt-secret") }
        }
        guard duration.isFinite, duration > 0 else { throw ValidationError("--duration must be a positive number of seconds") }
        guard messageSize >= LoadSettings.minMessageSize, messageSize <= LoadSettings.maxMessageSize else {
            throw ValidationError("--message-size must be between \(LoadSettings.minMessageSize) and \(LoadSettings.maxMessageSize) bytes")
        }
        guard rate.isFinite, rate >= 0, rate <= 1_000_000 else {
            throw ValidationError("--rate must be between 0 (closed loop) and 1000000 messages/s")
        }
        guard (1...64).contains(threads) else { throw ValidationError("--threads must be between 1 and 64") }
        guard connectConcurrency >= 1 else { throw ValidationError("--connect-concurrency must be at least 1") }
        guard connectTimeout.isFinite, connectTimeout > 0 else {
            throw ValidationError("--connect-timeout must be a positive number of seconds")
        }
        if let subprotocol {
            let separators: Set<UInt8> = Set("()<>@,;:\\\"/[]?={} ".utf8)
            guard !subprotocol.isEmpty, subprotocol.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F && !separators.contains($0) }) else {
                throw ValidationError("--subprotocol must be an HTTP token (no spaces, commas or separators)")
            }
        }
        if let serverPid {
            guard ProcessMetrics.memory(pid: serverPid) != nil else {
                throw ValidationError("--server-pid \(serverPid): no such process, or /proc/\(serverPid)/status is unreadable")
            }
        }
        do {
            _ = try WebSocketURL(parsing: url)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() async throws {
        signal(SIGPIPE, SIG_IGN)  // writev to a socket the server reset must not kill us
        let level: Logger.Level = quiet ? .error : .warning
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        if let seedFile {
            try HubSeed.write(hubSettings(), to: seedFile)
            print("wrote \(seedFile): \(rooms) room(s) \(projectPrefix)0..\(projectPrefix)\(rooms - 1), "
                + "\(connections) member(s) \(userPrefix)0..\(userPrefix)\(connections - 1)")
            return
        }
        let settings = try makeSettings()

        let limit = FileDescriptorLimit.raise()
        let needed = UInt64(connections) + settings.reservedDescriptors
        guard needed <= limit.current else {
            throw LoadError(
                "--connections \(connections) needs about \(needed) file descriptors, but the open-file limit is "
                    + "\(limit.current) (hard limit \(limit.hard)); raise it (ulimit -n) or open fewer connections")
        }

        let interrupt = InterruptSignal()
        let run = LoadRun(settings: settings, logger: Logger(label: "hubbub-load"), interrupt: interrupt.flag)
        let result = try await run.run()
        let report = Report(settings: settings, result: result)
        print(report.text, terminator: "")
        if let json {
            try report.writeJSON(to: json)
        }
        if !result.succeeded(asked: connections) {
            throw ExitCode(1)
        }
    }

    private func makeSettings() throws -> LoadSettings {
        LoadSettings(
            target: try WebSocketURL(parsing: url ?? ""),
            publisherTarget: try publisherUrl.map { try WebSocketURL(parsing: $0) },
            connections: connections,
            duration: .nanoseconds(seconds: duration),
            mode: mode,
            messageSize: messageSize,
            rate: rate,
            threads: threads,
            io: io.backendChoice,
            serverPID: serverPid,
            connectConcurrency: connectConcurrency,
            connectTimeout: .nanoseconds(seconds: connectTimeout),
            subprotocol: subprotocol ?? (mode == .hub ? HubSettings.defaultSubprotocol : nil),
            quiet: quiet,
            hub: mode == .hub ? hubSettings() : nil
        )
    }

    private func hubSettings() -> HubSettings {
        let lifetime = max(3600, 2 * Int64(duration + connectTimeout) + 600)
        let runID = String(UInt32.random(in: .min ... .max), radix: 16)
        return HubSettings(
            connections: connections, rooms: rooms, publishersPerRoom: publishersPerRoom, ratePerRoom: rate,
            jwtSecret: Array((jwtSecret ?? "").utf8), projectPrefix: projectPrefix, userPrefix: userPrefix,
            tokenLifetime: lifetime, runID: "r" + String(repeating: "0", count: 8 - runID.count) + runID,
            fullParse: hubFullParse)
    }
}
