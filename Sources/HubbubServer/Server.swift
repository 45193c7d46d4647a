import Glibc
import HubbubHTTP
import HubbubIO
import HubbubWebSocket
import Logging

/// What every connection of a server shares; immutable after start-up.
final class ServerShared: Sendable {
    let configuration: ServerConfiguration
    let router: Router
    let gate: ConnectionGate
    let addresses: AddressGate
    let logger: Logger
    let originPolicy: @Sendable (String?) -> Bool

    init(configuration: ServerConfiguration, router: Router, logger: Logger) {
        self.configuration = configuration
        self.router = router
        self.logger = logger
        self.gate = ConnectionGate(limit: configuration.maxConnections)
        self.addresses = AddressGate(limit: configuration.maxConnectionsPerAddress)
        let allowed = Set(configuration.allowedOrigins)
        self.originPolicy = { origin in
            allowed.isEmpty || origin.map { allowed.contains($0) } ?? false
        }
    }
}

/// The Hubbub server: an event loop group, one listener per loop on the same
/// port (SO_REUSEPORT), and a `ServerConnection` per accepted socket.
public final class Server: Sendable {
    public let configuration: ServerConfiguration
    public let group: EventLoopGroup
    /// The address actually bound (the port is resolved when 0 was asked for).
    public let boundAddress: SocketAddress
    private let shared: ServerShared

    /// Starts the loops and listens. `routes` lets the application add endpoints; it is
    /// called once, after the loops exist, so endpoints can pin work to them.
    public init(
        configuration: ServerConfiguration, logger: Logger,
        routes: (EventLoopGroup) throws -> [(String, Router.Route)] = { _ in [] }
    ) throws {
        self.configuration = configuration
        let (kind, fallbackReason) = IOBackendProbe.resolve(configuration.io)
        if let fallbackReason {
            logger.warning("io_uring unavailable, using epoll: \(fallbackReason)")
        }
        // One source of truth for the send-queue bound: every connection the loops create gets it.
        var loopConfiguration = configuration.loop
        loopConfiguration.maxQueuedBytesPerConnection = configuration.maxSendQueueBytes
        let group = try EventLoopGroup(threadCount: configuration.threads, backend: kind, configuration: loopConfiguration, logger: logger)
        self.group = group

        var router = Router()
        router.add("/healthz", .http(HealthEndpoint()))
        if configuration.echo { router.add("/echo", .webSocket(EchoEndpoint(limits: configuration.echoLimits))) }
        do {
            for (path, route) in try routes(group) { router.add(path, route) }
        } catch {
            group.shutdown()
            throw error
        }
        let shared = ServerShared(configuration: configuration, router: router, logger: logger)
        self.shared = shared

        do {
            var address = configuration.listen
            for loop in group.loops {
                let requested = address
                let bound = try Self.blockingSubmit(loop) { engine in
                    try engine.listen(on: requested) { connection in
                        Self.accept(connection, shared: shared)
                    }.address
                }
                if address.port == 0 { address = address.withPort(bound.port) }
            }
            boundAddress = address
        } catch {
            group.shutdown()
            throw error
        }
        logger.info("hubbub listening", metadata: [
            "address": "\(boundAddress)", "io": "\(kind)", "loops": "\(configuration.threads)",
            "max_connections": "\(configuration.maxConnections)", "routes": "\(router.paths.joined(separator: ","))",
        ])
    }

    private static func accept(_ connection: Connection, shared: ServerShared) {
        guard shared.gate.tryAcquire() else {
            // Over the limit: a short answer, then close. The handshake never starts.
            let response = HTTPResponse.error(.serviceUnavailable, code: "too_many_connections", message: "connection limit reached")
            connection.send(ByteChunk(response.serialize(keepAlive: false)))
            connection.close(.afterFlush)
            return
        }
        var address: String?
        if shared.addresses.limit > 0, let peer = connection.peerAddress?.host {
            guard shared.addresses.tryAcquire(peer) else {
                shared.gate.release()
                let response = HTTPResponse.error(
                    .tooManyRequests, code: "too_many_connections_from_address",
                    message: "this address holds \(shared.addresses.limit) connections, the most allowed")
                connection.send(ByteChunk(response.serialize(keepAlive: false)))
                connection.close(.afterFlush)
                return
            }
            address = peer
        }
        connection.setHandler(ServerConnection(connection: connection, shared: shared, address: address))
    }

    /// Runs `body` on `loop` and waits for it (start-up and shutdown only).
    private static func blockingSubmit<T: Sendable>(_ loop: EventLoop, _ body: @escaping @Sendable (LoopEngine) throws -> T) throws -> T {
        let result = BlockingResult<T>()
        loop.execute { engine in result.set(Result { try body(engine) }) }
        return try result.wait().get()
    }

    /// Connections currently open.
    public var connectionCount: Int { shared.gate.current }

    /// Graceful shutdown: stop accepting, close every WebSocket with 1001 and
    /// every idle HTTP connection, wait for them to finish (at most
    /// `shutdownTimeout`), then stop the loops, closing whatever remains.
    ///
    /// `beforeStoppingLoops` runs once the connections are closed (or the timeout passed),
    /// while the loops still run: work that needs them (actors whose executor is a loop)
    /// finishes there.
    public func shutdownGracefully(beforeStoppingLoops: () -> Void = {}) {
        let started = MonotonicClock.now()
        let remaining = shared.gate.current
        shared.logger.info("shutting down", metadata: ["connections": "\(remaining)"])
        for loop in group.loops {
            try? Self.blockingSubmit(loop) { engine in
                engine.closeAllListeners()
                engine.forEachConnection { connection in
                    (connection.currentHandler as? ServerConnection)?.beginShutdown()
                }
            }
        }
        let deadline = started &+ configuration.shutdownTimeout
        while shared.gate.current > 0, MonotonicClock.now() < deadline {
            usleep(10_000)
        }
        let left = shared.gate.current
        beforeStoppingLoops()
        group.shutdown()
        let elapsedMilliseconds = (MonotonicClock.now() - started) / 1_000_000
        shared.logger.info("shutdown complete", metadata: [
            "milliseconds": "\(elapsedMilliseconds)", "forced_closes": "\(left)",
        ])
    }
}
