/// One connection's presence in a room, as stored by ``Broker/presencePut(room:node:connID:value:)``.
public struct PresenceEntry: Sendable, Hashable {
    /// The node holding the connection.
    public let node: String
    /// The connection, unique within its node.
    public let connID: String
    /// The meta, opaque to the broker (the hub's encoding).
    public let value: [UInt8]

    public init(node: String, connID: String, value: [UInt8]) {
        self.node = node
        self.connID = connID
        self.value = value
    }
}
