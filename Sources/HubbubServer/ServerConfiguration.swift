import HubbubHTTP
import HubbubIO
import HubbubWebSocket

/// Everything `hubbub serve` can be told. Every limit is explicit here, with
/// the default a fresh install runs with.
public struct ServerConfiguration: Sendable {
    /// Where to listen. Default 127.0.0.1:8080.
    public var listen = SocketAddress(numericHost: "127.0.0.1", port: 8080)!
    /// Event loop threads; default one per core.
    public var threads = EventLoopGroup.coreCount
    /// I/O backend; `auto` probes io_uring and falls back to epoll.
    public var io: IOBackendChoice = .auto
    /// Serve the `/echo` WebSocket endpoint (for conformance and load tests).
    public var echo = false

    /// HTTP request limits (request line, header count and bytes, body).
    public var http = HTTPLimits()
    /// A client must complete its HTTP request (or upgrade) within this time; slowloris guard.
    public var handshakeTimeout: UInt64 = 10_000_000_000
    /// Idle keep-alive HTTP connections are closed after this long.
    public var httpIdleTimeout: UInt64 = 30_000_000_000

    /// WebSocket frame and message limits for the application endpoints.
    public var webSocketLimits = WebSocketLimits(maxFrameSize: 1 << 20, maxMessageSize: 1 << 20)
    /// Limits of the `/echo` endpoint (large enough for the Autobahn suite's 16 MiB cases).
    public var echoLimits = WebSocketLimits(maxFrameSize: 32 << 20, maxMessageSize: 32 << 20)
    /// Ping interval, idle timeout and close timeout.
    public var webSocketTimeouts = WebSocketTimeouts()
    /// Allowed `Origin` values; empty allows any (including none).
    public var allowedOrigins: [String] = []

    /// Most simultaneous connections; beyond it new connections get 503 and are closed.
    public var maxConnections = 100_000
    /// Most simultaneous connections from one client IP address (0: no limit); beyond it
    /// new connections from that address get 429 and are closed. Behind a proxy every
    /// client shares the proxy's address: leave it 0 there and limit at the proxy.
    public var maxConnectionsPerAddress = 0
    /// Bound on each connection's send queue, in bytes; a WebSocket peer that
    /// lets it fill is closed with `slowConsumerCloseCode`.
    public var maxSendQueueBytes = 4 << 20
    /// The close code a slow consumer gets.
    public var slowConsumerCloseCode = WebSocketCloseCode.policyViolation
    /// How long a graceful shutdown waits for connections to finish closing.
    public var shutdownTimeout: UInt64 = 10_000_000_000

    /// Event loop tunables (buffer ring, iovecs per send, linger).
    public var loop = LoopConfiguration()

    public init() {}
}
