/// The user-level changes of a full-mode diff. Each list is ordered by user id, and a user is
/// in at most one of them.
///
/// - `joins`: users who became present, with their entry. The client did not have them.
/// - `leaves`: users who are no longer present, with the entry clients last had for them
///   (for "Alice left"). Closing one of several tabs is not a leave: it is an update.
/// - `updates`: users who stay present but whose entry changed (a connection opened or
///   closed, a connection's state changed, a reconnect within the grace period replaced the
///   connection id, a new display name), with their whole current entry, which replaces the
///   client's.
///
/// Applying it (remove leaves, then store joins and updates by user id) is idempotent.
public struct PresenceChanges: Sendable, Hashable {
    public var joins: [PresenceEntry]
    public var leaves: [PresenceEntry]
    public var updates: [PresenceEntry]

    public init(joins: [PresenceEntry] = [], leaves: [PresenceEntry] = [], updates: [PresenceEntry] = []) {
        self.joins = joins
        self.leaves = leaves
        self.updates = updates
    }

    public var isEmpty: Bool { joins.isEmpty && leaves.isEmpty && updates.isEmpty }
}
