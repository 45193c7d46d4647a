/// What ``PresenceRoom/update(connID:state:now:)`` did.
public enum UpdateResult: Sendable, Hashable {
    /// The state was stored; it goes out in a later diff (if it changed anything).
    case ok
    /// Too many updates from this connection: retry after this many nanoseconds.
    case rateLimited(retryAfter: UInt64)
    /// The state's ``PresenceValue/jsonByteCount`` is over
    /// ``PresenceConfiguration/maxMetaBytes``. Checked before the rate limit, so it costs no
    /// token.
    case tooLarge(bytes: Int)
    /// The connection is not in the room (never joined, or already left).
    case notFound
}
