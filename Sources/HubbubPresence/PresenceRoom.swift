/// The presence of one room: who is here, on which connections, with what state. Pure and
/// I/O-free; time is injected as monotonic nanoseconds (`now`), and a `now` earlier than one
/// already seen counts as the latest seen.
///
/// How the hub drives it:
/// 1. ``join(userID:name:username:connID:state:joinedAt:now:)`` when a connection joins;
///    send the returned snapshot to that connection only.
/// 2. ``update(connID:state:now:)`` when a client sets its state; ``leave(connID:now:)``
///    when a connection leaves or closes.
/// 3. Call ``flush(now:)`` at or after ``nextDeadline`` (which changes after every call) and
///    broadcast the returned ``PresenceDiff``, if any, to every connection in the room,
///    including those that joined since the previous flush.
///
/// A client that applies its snapshot and then every later diff, in order (see
/// ``PresenceView``), holds exactly what ``snapshot()`` returns after each flush.
///
/// Two states are kept: the *current* state, changed by every call, and the *published*
/// state, which is what the diffs have told clients so far. ``snapshot()`` and
/// ``roster(after:limit:)`` read the published state, so a joiner's snapshot fits the diff
/// stream; ``userCount``, ``connectionCount``, ``isPresent(userID:)`` and
/// ``presence(of:)`` read the current one. Right after a flush the two are equal.
///
/// Grace: when a user's last connection leaves, the user stays present, showing that
/// connection's meta unchanged, for ``PresenceConfiguration/gracePeriod``. A connection of
/// theirs that joins in that time takes its place (an update, or nothing visible if it is the
/// same connection id with the same state); otherwise the user leaves when the grace ends.
public struct PresenceRoom: Sendable {
    public let configuration: PresenceConfiguration

    /// A full bucket, copied for each new connection.
    let newBucket: TokenBucket
    /// The latest `now` seen.
    var clock: UInt64 = 0

    // Current state.
    var entries: [String: PresenceEntry] = [:]
    var connections: [String: LiveConnection] = [:]
    var graces = GraceTracker()
    var metaCount = 0

    // Changes not yet flushed: users whose entry may differ from the published one, and when
    // the first of them changed.
    var dirty: Set<String> = []
    var batchOpenedAt: UInt64?

    /// Users a joiner was shown in their current, not yet published, state (the joiner's
    /// snapshot is the room as it is now), with the entry shown (nil: shown absent). The
    /// next flush reports them even when the window's net change is nothing, so that
    /// joiner converges too.
    var shownEarly: [String: PresenceEntry?] = [:]

    // Published state.
    var published: [String: PresenceEntry] = [:]
    var publishedOrder = SortedUserIDs()
    var publishedCounts = PresenceCounts.zero
    /// The mode of the published state: the mode of the room's snapshots and diffs.
    public internal(set) var mode: PresenceMode = .full

    struct LiveConnection: Sendable {
        var userID: String
        var bucket: TokenBucket
    }

    public init(configuration: PresenceConfiguration = PresenceConfiguration()) {
        precondition(configuration.largeRoomExitThreshold >= 0, "largeRoomExitThreshold must not be negative")
        precondition(
            configuration.largeRoomExitThreshold <= configuration.largeRoomThreshold,
            "largeRoomExitThreshold must not exceed largeRoomThreshold"
        )
        precondition(configuration.maxMetaBytes >= 0, "maxMetaBytes must not be negative")
        self.configuration = configuration
        self.newBucket = TokenBucket(ratePerSecond: configuration.updatesPerSecond, burst: configuration.updateBurst)
    }

    /// Users present now, including those in their grace period.
    public var userCount: Int { entries.count }

    /// Metas now: live connections plus one per user in their grace period.
    public var connectionCount: Int { metaCount }

    /// Whether the user is present now (connected, or in their grace period).
    public func isPresent(userID: String) -> Bool { entries[userID] != nil }

    /// The user of live connection `connID`.
    public func userID(ofConnection connID: String) -> String? { connections[connID]?.userID }

    /// The user's current entry (not yet necessarily published).
    public func presence(of userID: String) -> PresenceEntry? { entries[userID] }

    /// Whether the room holds nothing: no user, no grace, no unflushed change. An idle room
    /// can be discarded and later recreated without clients noticing.
    public var isIdle: Bool { entries.isEmpty && dirty.isEmpty }

    /// Whether every connection in the room, live or held in a grace period, satisfies
    /// `isForeign` and no change waits for a flush: the hub's test of whether a room holds
    /// only other nodes' connections (so this node may drop it).
    public func holdsOnly(where isForeign: (String) -> Bool) -> Bool {
        guard dirty.isEmpty else { return false }
        return entries.values.allSatisfy { entry in entry.metas.allSatisfy { isForeign($0.connID) } }
    }

    /// When ``flush(now:)`` next has something to do: the end of the open batch window or
    /// the earliest end of a grace period, whichever comes first; `nil` when neither is
    /// pending. It may be at or before the latest `now`: then flush right away.
    public var nextDeadline: UInt64? {
        let batchDue = batchOpenedAt.map { Self.add($0, configuration.batchWindow) }
        switch (batchDue, graces.nextDeadline) {
        case (let batch?, let grace?): return min(batch, grace)
        case (let batch?, nil): return batch
        case (nil, let grace?): return grace
        case (nil, nil): return nil
        }
    }

    /// The published presence: what the room's clients have been told, in the room's mode.
    public func snapshot() -> PresenceSnapshot {
        switch mode {
        case .full: .full(publishedOrder.ids.compactMap { published[$0] })
        case .counts: .counts(publishedCounts)
        }
    }

    /// The presence as it is now, changes of the open batch window included, in the mode
    /// the room will be in after the next flush: what a joiner is sent (it must see the
    /// whole room, itself included; later diffs that repeat a change are harmless).
    /// The snapshot for a joiner: ``currentSnapshot()``, remembering which users it shows
    /// ahead of the published state so the next diff covers them (a user who joins and
    /// leaves within the window then appears in that diff's `leaves`).
    public mutating func joinerSnapshot() -> PresenceSnapshot {
        for userID in dirty where shownEarly[userID] == nil {
            shownEarly[userID] = .some(entries[userID])
        }
        return currentSnapshot()
    }

    public func currentSnapshot() -> PresenceSnapshot {
        switch Self.mode(after: mode, users: entries.count, configuration: configuration) {
        case .full: .full(entries.keys.sorted().compactMap { entries[$0] })
        case .counts: .counts(PresenceCounts(users: entries.count, connections: metaCount))
        }
    }

    static func add(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? UInt64.max : sum
    }
}
