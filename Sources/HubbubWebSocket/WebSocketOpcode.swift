/// The opcode of a WebSocket frame (RFC 6455 §5.2).
///
/// Opcodes 3-7 and 11-15 are reserved; a frame carrying one of them is a protocol error,
/// so they have no case here.
public enum WebSocketOpcode: UInt8, Sendable {
    /// A further fragment of the message in progress.
    case continuation = 0
    /// The first (or only) frame of a UTF-8 text message.
    case text = 1
    /// The first (or only) frame of a binary message.
    case binary = 2
    /// Starts or answers the closing handshake.
    case close = 8
    /// Asks the peer for a pong carrying the same payload.
    case ping = 9
    /// Answers a ping, or serves as a unidirectional heartbeat.
    case pong = 10

    /// Whether this is a control opcode (close, ping, pong): such frames are never
    /// fragmented and carry at most 125 bytes of payload.
    public var isControl: Bool { rawValue & 0x8 != 0 }
}
