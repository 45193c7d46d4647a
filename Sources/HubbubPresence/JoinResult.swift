/// What ``PresenceRoom/join(userID:name:username:connID:state:joinedAt:now:)`` did.
public enum JoinResult: Sendable, Hashable {
    /// The connection joined. Send the snapshot to it, then every later flushed diff: the
    /// snapshot is the state the room's clients have been told of so far, so it does not yet
    /// include this join, which comes in the next diff like every other change.
    case joined(PresenceSnapshot)
    /// The initial state's ``PresenceValue/jsonByteCount`` is over
    /// ``PresenceConfiguration/maxMetaBytes``; nothing changed.
    case tooLarge(bytes: Int)
}
