/// What ``PresenceRoom/flush(now:)`` tells every client of the room: the coalesced net
/// change since the previous flush, never empty.
///
/// Which case comes depends on the room's ``PresenceMode`` (the client learns the mode
/// from its snapshot, and from every ``state(_:)``):
///
/// - ``full(_:)`` in full mode (the protocol's `presence_diff` with `mode: "full"`): user-level
///   ``PresenceChanges``; see there for what joins, leaves and updates mean.
/// - ``counts(_:)`` in counts mode (`presence_diff` with `mode: "counts"`): the new absolute
///   totals, sent only when they changed. No entries: a client pages through
///   ``PresenceRoom/roster(after:limit:)`` if it wants them.
/// - ``state(_:)`` when the mode switched in this flush (`presence_state`): the whole new
///   presence, which replaces whatever the client holds. Full to counts happens when the user
///   count rises above ``PresenceConfiguration/largeRoomThreshold``, counts to full when it
///   falls to ``PresenceConfiguration/largeRoomExitThreshold`` or below.
///
/// Within one batch window changes coalesce to their net effect: a user who joins and leaves
/// appears in no list, several updates of a user give one update with the last entry, a leave
/// followed by a join of the same user gives an update (or nothing, if the entry is
/// unchanged), and a change undone within the window gives nothing.
public enum PresenceDiff: Sendable, Hashable {
    case full(PresenceChanges)
    case counts(PresenceCounts)
    case state(PresenceSnapshot)
}
