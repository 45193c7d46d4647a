/// One connection's presence in a room.
public struct PresenceMeta: Sendable, Hashable {
    /// The server-assigned id of the connection.
    public var connID: String
    /// The state the client set for this connection (``PresenceValue/emptyObject`` by default).
    public var state: PresenceValue
    /// When the connection joined the room, as supplied by the caller (the hub passes
    /// wall-clock milliseconds since the Unix epoch). Opaque to the room: never compared with
    /// its monotonic `now`.
    public var joinedAt: Int64

    public init(connID: String, state: PresenceValue, joinedAt: Int64) {
        self.connID = connID
        self.state = state
        self.joinedAt = joinedAt
    }
}
