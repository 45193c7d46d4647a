/// The state machine of one WebSocket connection (RFC 6455), free of I/O.
///
/// The owner feeds it received bytes, timer ticks and application requests, and performs
/// the ``WebSocketAction``s it returns, in order: deliver messages, write bytes, close the
/// socket. It answers pings, reassembles fragmented messages (with control frames
/// interleaved), validates everything the RFC requires (UTF-8 incrementally, failing on
/// the fragment that breaks it), runs the closing handshake, sends keep-alive pings and
/// drops idle peers.
///
/// Received payload is unmasked straight from the caller's buffer into the message being
/// reassembled, and that array is handed over in ``WebSocketAction/deliver(_:)`` without
/// another copy.
public struct WebSocketConnection: Sendable {
    /// Where the connection is in its lifetime.
    public enum State: Sendable, Hashable {
        /// Messages flow both ways.
        case open
        /// We sent a close frame and wait for the peer's; received data is ignored.
        case closing
        /// The closing handshake is over or the connection failed; nothing more happens.
        case closed
    }

    /// What to do with the payload of the frame being received.
    enum FrameSink: Sendable {
        /// Append to the message being reassembled; `isFinal` is the frame's FIN bit.
        case message(isFinal: Bool)
        /// Collect into `controlPayload`, then act on the opcode.
        case control(WebSocketOpcode)
        /// Skip (data frames after we sent our close).
        case discard
    }

    /// Which end we are; decides masking.
    public let role: WebSocketRole
    /// Frame and message size limits.
    public let limits: WebSocketLimits
    /// Keep-alive and closing timers.
    public let timeouts: WebSocketTimeouts
    /// The current state.
    public internal(set) var state = State.open

    var parser: WebSocketFrameParser
    var sink = FrameSink.discard
    /// `.text` or `.binary` while a message is being reassembled, nil between messages.
    var messageOpcode: WebSocketOpcode?
    var message: [UInt8] = []
    var utf8 = UTF8Validator()
    var controlPayload: [UInt8] = []
    var maskKeys: MaskKeySource

    /// When bytes were last received (monotonic ns).
    var lastReceived: UInt64
    /// When the next keep-alive ping is due.
    var nextPing: UInt64
    /// When we give up waiting for the peer's close frame (closing state).
    var closeDeadline: UInt64 = .max

    /// Creates a connection in the open state, just after the opening handshake.
    /// - Parameters:
    ///   - role: `.server` or `.client`.
    ///   - limits: frame and message size limits.
    ///   - timeouts: keep-alive and closing timers.
    ///   - now: the current monotonic time in nanoseconds; timers start from it.
    ///   - maskKeyGenerator: for the client role, the source of frame mask keys (each
    ///     key's big-endian bytes go on the wire). Nil, the default, uses
    ///     `SystemRandomNumberGenerator`; pass one only to make tests deterministic.
    public init(
        role: WebSocketRole,
        limits: WebSocketLimits = WebSocketLimits(),
        timeouts: WebSocketTimeouts = WebSocketTimeouts(),
        now: UInt64,
        maskKeyGenerator: (@Sendable () -> UInt32)? = nil
    ) {
        self.role = role
        self.limits = limits
        self.timeouts = timeouts
        self.parser = WebSocketFrameParser(role: role, maxFrameSize: limits.maxFrameSize)
        self.maskKeys = MaskKeySource(role: role, generator: maskKeyGenerator)
        self.lastReceived = now
        self.nextPing = now.addingSaturated(timeouts.pingInterval)
    }

    /// Whether the application may send messages: the connection is open. Frames encoded
    /// once with ``WebSocketFrameEncoder`` may be sent to every open server connection.
    public var canSendMessages: Bool { state == .open }

    /// Encodes an application message as one frame (masked for the client role).
    /// Returns nil once the connection is closing or closed.
    public mutating func encode(_ message: WebSocketMessage) -> [UInt8]? {
        guard state == .open else { return nil }
        switch message {
        case .text(let bytes):
            return WebSocketFrameEncoder.encode(opcode: .text, payload: bytes, maskKey: maskKeys.next())
        case .binary(let bytes):
            return WebSocketFrameEncoder.encode(opcode: .binary, payload: bytes, maskKey: maskKeys.next())
        }
    }

    /// Starts the closing handshake: returns `[.send(closeFrame)]` and enters the closing
    /// state. ``WebSocketAction/closed(code:reason:initiatedByPeer:)`` and
    /// ``WebSocketAction/closeSocket`` follow from ``receive(_:now:)`` when the peer's close
    /// arrives, or from ``tick(now:)`` when the close timeout expires. Does nothing unless
    /// open.
    ///
    /// A code that may not go on the wire (such as 1005 or 1006) sends a close frame
    /// without code or reason. A partly received message is dropped.
    public mutating func close(code: WebSocketCloseCode, reason: String, now: UInt64) -> [WebSocketAction] {
        guard state == .open else { return [] }
        state = .closing
        closeDeadline = now.addingSaturated(timeouts.closeTimeout)
        messageOpcode = nil
        message = []
        let frame = WebSocketFrameEncoder.encodeClose(
            code: code.isValidOnWire ? code : nil,
            reason: reason,
            maskKey: maskKeys.next()
        )
        return [.send(frame)]
    }

    /// The socket was closed underneath us (EOF or error). Returns
    /// `[.closed(code: .abnormalClosure, ...)]` unless already closed.
    public mutating func socketClosed() -> [WebSocketAction] {
        guard state != .closed else { return [] }
        var actions: [WebSocketAction] = []
        finish(code: .abnormalClosure, reason: "connection lost", initiatedByPeer: state == .open, closeSocket: false, into: &actions)
        return actions
    }

    /// Enters the closed state, frees buffers and reports it.
    mutating func finish(
        code: WebSocketCloseCode,
        reason: String,
        initiatedByPeer: Bool,
        closeSocket: Bool = true,
        into actions: inout [WebSocketAction]
    ) {
        state = .closed
        sink = .discard
        messageOpcode = nil
        message = []
        controlPayload = []
        actions.append(.closed(code: code, reason: reason, initiatedByPeer: initiatedByPeer))
        if closeSocket { actions.append(.closeSocket) }
    }
}
