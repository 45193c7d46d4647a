import HubbubIO
import HubbubWebSocket

/// Everything a run needs, validated, in the units the loops use (nanoseconds, bytes).
struct LoadSettings: Sendable {
    /// The largest message the client sends (and so accepts back).
    static let maxMessageSize = 16 << 20
    /// The smallest message: 8 bytes of send time, 8 of sequence number.
    static let minMessageSize = 16
    /// Latency samples kept per loop before reservoir sampling takes over.
    static let samplesPerLoop = 2_000_000

    /// The client never pings and never drops a silent server (an idle run holds its
    /// connections silent for the whole duration); it answers the server's pings, and
    /// gives the closing handshake 5 s.
    static let webSocketTimeouts = WebSocketTimeouts(pingInterval: 0, idleTimeout: 0, closeTimeout: 5_000_000_000)

    /// In rate mode, a connection whose send queue holds more than this skips its turn
    /// (counted) instead of queueing without bound behind a server that cannot keep up.
    static let maxBacklogBytes = 256 << 10

    var target: WebSocketURL
    /// Hub mode: where publishers connect (another node of a cluster), if not `target`.
    var publisherTarget: WebSocketURL?
    var connections: Int
    var duration: UInt64
    var mode: LoadMode
    var messageSize: Int
    var rate: Double
    var threads: Int
    var io: IOBackendChoice
    var serverPID: Int32?
    var connectConcurrency: Int
    var connectTimeout: UInt64
    var subprotocol: String?
    var quiet: Bool
    /// `--mode hub` only.
    var hub: HubSettings?

    /// Where connection `index` connects.
    func target(of index: Int) -> WebSocketURL {
        if let publisherTarget, let hub, hub.isPublisher(index) { return publisherTarget }
        return target
    }

    /// Nanoseconds between two messages of one connection; nil in closed loop (the
    /// next message leaves when the echo of the last one arrives).
    var sendInterval: UInt64? {
        rate > 0 ? max(1, UInt64(1e9 / rate)) : nil
    }

    var webSocketLimits: WebSocketLimits {
        let size = hub != nil ? HubSettings.maxServerMessageBytes : max(messageSize, 1 << 16)
        return WebSocketLimits(maxFrameSize: size, maxMessageSize: size)
    }

    /// Descriptors the process needs besides its connections: rings or epoll
    /// instances, eventfds, stdio, /proc reads, the JSON file.
    var reservedDescriptors: UInt64 {
        32 + 4 * UInt64(threads)
    }

    /// Loop `index`'s share of `total` when it is split as evenly as possible.
    func share(of total: Int, loop index: Int) -> Int {
        total / threads + (index < total % threads ? 1 : 0)
    }
}
