/// What a client holds of a room's presence: its snapshot with every later diff applied.
///
/// The reference for client authors, and what the hub's tests use to check the stream a
/// client receives: after each ``PresenceRoom/flush(now:)``, a view built from a joiner's
/// snapshot and fed the diffs since equals `PresenceView(room.snapshot())`.
public struct PresenceView: Sendable, Hashable {
    public private(set) var mode: PresenceMode
    /// Present users by user id; empty in counts mode.
    public private(set) var entries: [String: PresenceEntry]
    /// The totals: the server's in counts mode, computed from `entries` in full mode.
    public private(set) var counts: PresenceCounts

    /// An empty full-mode view: a room nobody has joined.
    public init() {
        self.init(.full([]))
    }

    public init(_ snapshot: PresenceSnapshot) {
        mode = .full
        entries = [:]
        counts = .zero
        reset(to: snapshot)
    }

    /// The entries ordered by user id.
    public var sortedEntries: [PresenceEntry] {
        entries.values.sorted { $0.userID < $1.userID }
    }

    /// Replaces everything with `snapshot` (a `presence_state`).
    public mutating func reset(to snapshot: PresenceSnapshot) {
        mode = snapshot.mode
        counts = snapshot.counts
        entries = [:]
        if case .full(let list) = snapshot {
            for entry in list { entries[entry.userID] = entry }
        }
    }

    /// Applies `diff`. Leaves of absent users are ignored and joins and updates store the
    /// entry, so applying a diff twice is harmless.
    ///
    /// - Returns: `false`, changing nothing, if the diff does not fit the view's mode (a
    ///   full diff in counts mode or the reverse): the stream is broken and the client must
    ///   get a new snapshot.
    @discardableResult
    public mutating func apply(_ diff: PresenceDiff) -> Bool {
        switch (diff, mode) {
        case (.state(let snapshot), _):
            reset(to: snapshot)
        case (.counts(let newCounts), .counts):
            counts = newCounts
        case (.full(let changes), .full):
            for entry in changes.leaves { store(nil, for: entry.userID) }
            for entry in changes.joins { store(entry, for: entry.userID) }
            for entry in changes.updates { store(entry, for: entry.userID) }
        case (.counts, .full), (.full, .counts):
            return false
        }
        return true
    }

    private mutating func store(_ entry: PresenceEntry?, for userID: String) {
        let old: PresenceEntry?
        if let entry {
            old = entries.updateValue(entry, forKey: userID)
        } else {
            old = entries.removeValue(forKey: userID)
        }
        counts.users += (entry == nil ? 0 : 1) - (old == nil ? 0 : 1)
        counts.connections += (entry?.metas.count ?? 0) - (old?.metas.count ?? 0)
    }
}
