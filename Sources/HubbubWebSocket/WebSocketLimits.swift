/// Size limits that protect a connection from oversized input.
///
/// Both are checked from frame headers, before any payload is buffered, and a violation
/// fails the connection with close code 1009 (``WebSocketCloseCode/messageTooBig``).
public struct WebSocketLimits: Sendable, Hashable {
    /// The largest payload, in bytes, a single frame may declare.
    public var maxFrameSize: Int
    /// The largest data message, in bytes, after reassembling its fragments.
    public var maxMessageSize: Int

    /// Creates limits; both default to 1 MiB.
    public init(maxFrameSize: Int = 1 << 20, maxMessageSize: Int = 1 << 20) {
        self.maxFrameSize = maxFrameSize
        self.maxMessageSize = maxMessageSize
    }
}
