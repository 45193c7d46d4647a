/// Something the owner of a ``WebSocketConnection`` must do, returned in order.
public enum WebSocketAction: Sendable, Equatable {
    /// Hand a complete data message to the application.
    case deliver(WebSocketMessage)
    /// Write these bytes (one or more encoded frames, masked when the role is client).
    case send([UInt8])
    /// Close the TCP connection, after writing everything queued before this action.
    case closeSocket
    /// The WebSocket is closed; emitted exactly once per connection, for cleanup.
    ///
    /// `code` and `reason` come from the peer's close frame when one was received
    /// (``WebSocketCloseCode/noStatusReceived`` when it carried no code), from the protocol
    /// error when we failed the connection, and are ``WebSocketCloseCode/abnormalClosure``
    /// when the connection ended without a close frame (timeouts, socket loss).
    /// `initiatedByPeer` is true when the peer started the closing (its close frame arrived
    /// while we were open, or it dropped the socket).
    case closed(code: WebSocketCloseCode, reason: String, initiatedByPeer: Bool)
}
