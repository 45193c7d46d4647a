/// One page of a room's users, from ``PresenceRoom/roster(after:limit:)``.
public struct RosterPage: Sendable, Hashable {
    /// Present users, ordered by user id.
    public var entries: [PresenceEntry]
    /// Pass to the next call as `after` for the following page; `nil` on the last page.
    /// Opaque to clients (today it is the last user id of this page).
    public var nextCursor: String?
    /// The room's totals when this page was taken.
    public var counts: PresenceCounts

    public init(entries: [PresenceEntry], nextCursor: String?, counts: PresenceCounts) {
        self.entries = entries
        self.nextCursor = nextCursor
        self.counts = counts
    }
}
