/// How a room describes its presence to clients.
public enum PresenceMode: Sendable, Hashable {
    /// Every user's entry: snapshots list them, diffs carry joins, leaves and updates.
    case full
    /// Counts only (a large room): snapshots and diffs carry ``PresenceCounts``; the entries
    /// are available page by page through ``PresenceRoom/roster(after:limit:)``.
    case counts
}
