/// A room's whole presence as clients know it: the start of a client's view, sent on join
/// (the protocol's `presence_state`).
public enum PresenceSnapshot: Sendable, Hashable {
    /// Every present user, ordered by user id.
    case full([PresenceEntry])
    /// The totals of a large room.
    case counts(PresenceCounts)

    public var mode: PresenceMode {
        switch self {
        case .full: .full
        case .counts: .counts
        }
    }

    /// The totals, computed from the entries in full mode.
    public var counts: PresenceCounts {
        switch self {
        case .full(let entries):
            PresenceCounts(users: entries.count, connections: entries.reduce(0) { $0 + $1.metas.count })
        case .counts(let counts):
            counts
        }
    }
}
