/// Server policy for WebSocket handshakes.
public struct WebSocketUpgradeConfig: Sendable {
    /// Subprotocols the server supports, most preferred first; empty negotiates none.
    public var subprotocols: [String]
    /// Reject (400) a handshake that offers none of ``subprotocols``. With an empty
    /// ``subprotocols`` list every handshake is then rejected.
    public var requireSubprotocol: Bool
    /// Decides whether the `Origin` field value (nil if absent) may connect; rejected
    /// handshakes get 403. The default allows every origin.
    public var originAllowed: @Sendable (String?) -> Bool

    /// A policy; the defaults negotiate no subprotocol and allow every origin.
    public init(
        subprotocols: [String] = [],
        requireSubprotocol: Bool = false,
        originAllowed: @escaping @Sendable (String?) -> Bool = { _ in true }
    ) {
        self.subprotocols = subprotocols
        self.requireSubprotocol = requireSubprotocol
        self.originAllowed = originAllowed
    }
}
