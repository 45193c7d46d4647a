/// A complete data message: all fragments reassembled.
public enum WebSocketMessage: Sendable, Equatable {
    /// A text message; the bytes are valid UTF-8 (validated on receipt; the caller
    /// guarantees it when sending).
    case text([UInt8])
    /// A binary message.
    case binary([UInt8])
}
