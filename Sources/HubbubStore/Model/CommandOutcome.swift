/// The result of one command of a ``Store/commit(_:)`` batch. Only ``stored(_:)``
/// changed anything; every other outcome left the database as it was.
public enum CommandOutcome: Sendable, Equatable {
    /// Applied and durable (once `commit` has returned).
    case stored(StoredEvent)
    /// The request key was already used for this same command: nothing was applied and
    /// this is the event the first attempt stored (still returned after the event itself
    /// was pruned).
    case duplicate(StoredEvent)
    /// `moveCard` with a stale `expectedVersion`: the card as it is now.
    case conflict(current: Card)
    /// A project, card or column named by the command does not exist in the room's project.
    case notFound(MissingEntity)
    /// The request key was already used, within the retention window, for a *different*
    /// command (other kind, room or client-sent fields; a comment's `mentions` and
    /// `notifyOffline` are not compared): a client bug, wire code `duplicate` with reason
    /// `id_reused`.
    case keyReused
    /// The store refused the command itself (e.g. ``StoreError/Code/alreadyExists``,
    /// ``StoreError/Code/invalidArgument``) or hit a database error that only affected
    /// this command (its savepoint was rolled back; the rest of the batch went on).
    case rejected(StoreError)
}

/// What a ``CommandOutcome/notFound(_:)`` is missing, with the id the command named.
public enum MissingEntity: Sendable, Hashable {
    /// The room's project (`Command.room`).
    case project(String)
    /// The card (`cardID`): absent, or in another project.
    case card(String)
    /// The column (`columnID` of a create, `toColumn` of a move).
    case column(String)
}
