import ArgumentParser
import Glibc
import HubbubAuth
import HubbubHTTP
import HubbubHub
import HubbubMail
import HubbubOps
import HubbubStore
import HubbubIO
import HubbubServer
import HubbubWebSocket
import Logging

struct Serve: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the hub. With no options it listens on 127.0.0.1:8080 and needs no other server."
    )

    @Option(help: "Address to listen on, HOST:PORT ([::1]:PORT for IPv6).")
    var listen = SocketAddress(numericHost: "127.0.0.1", port: 8080)!

    @Option(help: "I/O backend: auto (io_uring, else epoll), uring or epoll.")
    var io: IOBackendChoice = .auto

    @Flag(help: "Serve a WebSocket echo endpoint at /echo (conformance and load tests).")
    var echo = false

    @Option(help: "Event loop threads (default: one per core).")
    var threads: Int?

    @Option(help: "Most simultaneous connections (also bounded by the open-file limit).")
    var maxConnections = 100_000

    @Option(help: "Most simultaneous connections from one client IP address (0: no limit; behind a proxy, limit at the proxy).")
    var maxConnectionsPerIp = 0

    @Option(help: "Time a client has to complete its HTTP request or WebSocket handshake.")
    var handshakeTimeout = DurationArgument(seconds: 10)

    @Option(help: "Idle HTTP keep-alive connections are closed after this long.")
    var httpIdleTimeout = DurationArgument(seconds: 30)

    @Option(help: "Send a ping when a WebSocket peer has been silent this long (0 disables).")
    var pingInterval = DurationArgument(seconds: 20)

    @Option(help: "Drop a WebSocket peer silent this long, pongs included (0 disables).")
    var idleTimeout = DurationArgument(seconds: 60)

    @Option(help: "Wait this long for the peer's close frame after sending ours.")
    var closeTimeout = DurationArgument(seconds: 5)

    @Option(help: "Graceful shutdown: how long to wait for connections to close.")
    var shutdownTimeout = DurationArgument(seconds: 10)

    @Option(help: "Largest WebSocket frame payload accepted on /ws (close 1009 beyond).")
    var maxFrameSize = ByteSizeArgument(bytes: 64 << 10)

    @Option(
        name: [.customLong("max-message-size"), .customLong("max-message-bytes")],
        help: "Largest client message on /ws, after reassembly (close 1009 beyond; announced in welcome).")
    var maxMessageSize = ByteSizeArgument(bytes: 64 << 10)

    @Option(help: "Largest frame and message on /echo.")
    var echoMaxMessageSize = ByteSizeArgument(bytes: 32 << 20)

    @Option(help: "Per-connection send queue bound; a WebSocket peer that lets it fill is closed as a slow consumer.")
    var maxSendQueue = ByteSizeArgument(bytes: 4 << 20)

    @Option(help: "Longest HTTP request line (414 beyond).")
    var maxRequestLine = ByteSizeArgument(bytes: 8192)

    @Option(help: "Most HTTP header fields (431 beyond).")
    var maxHeaderCount = 100

    @Option(help: "Largest HTTP header section (431 beyond).")
    var maxHeaderSize = ByteSizeArgument(bytes: 16384)

    @Option(help: "Largest HTTP request body (413 beyond).")
    var maxBodySize = ByteSizeArgument(bytes: 1 << 20)

    @Option(help: "An allowed Origin for WebSocket upgrades (repeatable; none given allows any).")
    var allowedOrigin: [String] = []

    @Option(help: "Provided receive buffers per io_uring loop (power of two).")
    var receiveBuffers = 512

    @Option(help: "Size of each receive buffer.")
    var receiveBufferSize = ByteSizeArgument(bytes: 8192)

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel: String = "info"

    @Option(help: "Log format: text (one readable line per record) or json (one JSON object per line).")
    var logFormat: LogFormat = .text

    @Option(help: ArgumentHelp(
        "A configuration file (TOML) setting any of these flags; HUBBUB_* variables and flags override it (or $HUBBUB_CONFIG).",
        valueName: "file"))
    var config: String?

    @OptionGroup(title: "Hub")
    var hub: HubOptions

    @OptionGroup(title: "E-mail")
    var mail: MailerOptions

    @Flag(help: "Do not run the mailer in this process (run `hubbub mailer` processes instead; several are safe).")
    var noEmbeddedMailer = false

    func validate() throws {
        guard Logger.Level(rawValue: logLevel) != nil else {
            throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical")
        }
        if let threads, threads < 1 || threads > 256 { throw ValidationError("--threads must be between 1 and 256") }
        guard maxConnections >= 1 else { throw ValidationError("--max-connections must be at least 1") }
        guard maxConnectionsPerIp >= 0 else { throw ValidationError("--max-connections-per-ip must not be negative") }
        guard receiveBuffers > 0, receiveBuffers <= 32768, receiveBuffers & (receiveBuffers - 1) == 0 else {
            throw ValidationError("--receive-buffers must be a power of two between 1 and 32768")
        }
        guard maxFrameSize.bytes > 0, maxMessageSize.bytes > 0, echoMaxMessageSize.bytes > 0 else {
            throw ValidationError("frame and message size limits must be positive")
        }
        guard maxSendQueue.bytes >= 1024 else { throw ValidationError("--max-send-queue must be at least 1KiB") }
    }

    func run() throws {
        let stop = ShutdownSignal()  // before any thread starts: they inherit the blocked mask
        HubbubLogging.bootstrap(format: logFormat, level: Logger.Level(rawValue: logLevel) ?? .info)
        let logger = Logger(label: "hubbub")

        // Connections need descriptors: raise the soft limit as far as the hard one allows.
        let limit = FileDescriptorLimit.raise()
        let reserve: UInt64 = 64  // listeners, rings, eventfds, logs
        var maxConnections = self.maxConnections
        if UInt64(maxConnections) + reserve > limit.current {
            maxConnections = Int(limit.current > reserve ? limit.current - reserve : 1)
        }
        logger.info("open-file limit", metadata: [
            "soft": "\(limit.current)", "was": "\(limit.previous)", "hard": "\(limit.hard)",
            "max_connections": "\(maxConnections)",
        ])

        var config = ServerConfiguration()
        config.listen = listen
        config.io = io
        config.echo = echo
        if let threads { config.threads = threads }
        config.maxConnections = maxConnections
        config.maxConnectionsPerAddress = maxConnectionsPerIp
        config.handshakeTimeout = handshakeTimeout.nanoseconds
        config.httpIdleTimeout = httpIdleTimeout.nanoseconds
        config.webSocketTimeouts = WebSocketTimeouts(
            pingInterval: pingInterval.nanoseconds, idleTimeout: idleTimeout.nanoseconds, closeTimeout: closeTimeout.nanoseconds)
        config.shutdownTimeout = shutdownTimeout.nanoseconds
        config.webSocketLimits = WebSocketLimits(maxFrameSize: maxFrameSize.bytes, maxMessageSize: maxMessageSize.bytes)
        config.echoLimits = WebSocketLimits(maxFrameSize: echoMaxMessageSize.bytes, maxMessageSize: echoMaxMessageSize.bytes)
        config.maxSendQueueBytes = maxSendQueue.bytes
        config.http.maxRequestLineLength = maxRequestLine.bytes
        config.http.maxHeaderCount = maxHeaderCount
        config.http.maxHeaderBytes = maxHeaderSize.bytes
        config.http.maxBodySize = maxBodySize.bytes
        config.allowedOrigins = allowedOrigin
        config.loop.receiveBufferCount = receiveBuffers
        config.loop.receiveBufferSize = receiveBufferSize.bytes

        let dataDirectory = DataDirectory(flag: hub.dataDir)
        let apiKeys = try hub.apiKeys()
        if apiKeys.isEmpty { logger.info("no --api-key: the HTTP API at /v1 refuses every request (401)") }
        let (verifier, development) = try hub.verifier(dataDirectory: dataDirectory)
        if development {
            logger.warning("no --jwt-secret: tokens are checked with the development secret; mint one with `hubbub token --user ID`",
                           metadata: ["file": "\(DevelopmentSecret.path(in: dataDirectory))"])
        }
        let hubConfiguration = hub.configuration(
            maxMessageBytes: maxMessageSize.bytes, maxFrameBytes: maxFrameSize.bytes, maxSendQueueBytes: maxSendQueue.bytes)
        let location = hub.storeLocation(dataDirectory)
        let store: any Store
        do {
            store = try blocking { try await location.open() }
        } catch {
            logger.critical("could not open the store (\(location)): \(error)")
            throw ExitCode(1)
        }
        logger.info("store", metadata: ["kind": "\(location.kind)", "location": "\(location)"])

        let cluster: ClusterSetup?
        do {
            let options = hub
            cluster = try blocking { try await ClusterSetup.connect(options: options, logger: logger) }
        } catch {
            logger.critical("could not join the cluster: \(error)")
            blocking { await store.close() }
            throw ExitCode(1)
        }
        if let cluster {
            if location.kind != "postgresql" {
                logger.warning("a cluster needs one PostgreSQL database shared by every node (--database-url)")
            }
            logger.info("cluster", metadata: [
                "node": "\(cluster.configuration.nodeID)", "node_ttl": "\(cluster.configuration.nodeTTL)",
            ])
        }

        let metrics = HubMetrics(
            commandTypes: HubMetrics.defaultCommandTypes, commandResults: HubMetrics.defaultCommandResults)
        let server: Server
        var started: Hub?
        do {
            server = try Server(configuration: config, logger: logger) { group in
                let hub = Hub(
                    configuration: hubConfiguration, store: store, authenticator: Authenticator(verifier: verifier),
                    group: group, logger: logger, metrics: metrics, broker: cluster?.broker, cluster: cluster?.configuration)
                metrics.setIOBackend("\(group.backend)")
                started = hub
                let api = APIEndpoint(
                    hub: hub, keys: apiKeys, requestsPerSecond: Double(self.hub.apiRequestsPerSecond), burst: self.hub.apiBurst)
                return [
                    ("/ws", .webSocket(hub.endpoint)), ("/readyz", .asyncHTTP(ReadinessEndpoint(store: store, hub: hub))),
                    ("/v1/*", .asyncHTTP(api)), ("/metrics", .http(MetricsEndpoint(metrics: metrics))),
                ]
            }
        } catch {
            logger.critical("could not start: \(error)")
            throw ExitCode(1)
        }
        let maintenance = started.map { hub in Task { await hub.runMaintenance() } }
        let clustering = started.map { hub in Task { await hub.runCluster() } }
        var mailing: (task: Task<Void, Never>, transport: any MailTransport)?
        if !noEmbeddedMailer {
            do {
                let (mailer, transport) = try mail.makeMailer(
                    store: store, dataDirectory: dataDirectory, logger: logger,
                    observe: { result in metrics.email(EmailResult(rawValue: result) ?? .dead) })
                metrics.setEmailQueueDepth { mailer.metrics.queueDepth }
                mailing = (Task { await mailer.run() }, transport)
            } catch {
                logger.critical("could not start the mailer: \(error)")
                server.shutdownGracefully()
                throw ExitCode(1)
            }
        }
        let signal = stop.wait()
        logger.info("received \(signal): stopping")
        server.shutdownGracefully {
            // While the loops (the rooms' executors) still run: the closed connections'
            // leaves reach the other nodes (with their grace period), then this node
            // leaves the cluster.
            if let clustering, let hub = started {
                blocking { await hub.drainCluster() }
                clustering.cancel()
                blocking { await clustering.value }
            }
        }
        maintenance?.cancel()
        if let mailing {
            // The current digest is finished; the rest of its claims are released.
            mailing.task.cancel()
            blocking {
                await mailing.task.value
                await mailing.transport.shutdown()
            }
        }
        blocking { await store.close() }
    }
}

/// SIGTERM and SIGINT, taken synchronously with `sigwait` on the main thread.
/// They are blocked before any other thread exists, so every thread inherits
/// the mask and no thread can take (and lose) them: a process-directed signal
/// stays pending until `sigwait` collects it. SIGPIPE is ignored (sends use
/// MSG_NOSIGNAL, writev does not).
final class ShutdownSignal {
    private var set = sigset_t()

    /// Call first thing, before any thread is started.
    init() {
        signal(SIGPIPE, SIG_IGN)
        sigemptyset(&set)
        sigaddset(&set, SIGTERM)
        sigaddset(&set, SIGINT)
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Blocks until SIGTERM or SIGINT arrives; returns its name.
    func wait() -> String {
        var number: Int32 = 0
        while sigwait(&set, &number) != 0 {}
        return number == SIGTERM ? "SIGTERM" : "SIGINT"
    }
}
