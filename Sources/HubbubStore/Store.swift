/// Hubbub's durable state: projects and their members, boards, and each room's ordered
/// stream of events, with the e-mail outbox and idempotency keys that go with them.
///
/// One contract, several backends: ``SQLiteStore`` (embedded, the single-node default)
/// and later a PostgreSQL store; `Tests/HubbubStoreTests/StoreContract*.swift` is the
/// suite every implementation must pass. All methods may be called concurrently from
/// any task; none blocks the calling thread.
///
/// Time never comes from a clock inside the store: commands carry their time, purges
/// take a cutoff. Ids and names are validated by the caller.
public protocol Store: Sendable {
    // MARK: Admin and membership

    /// Creates the project, or renames it if it exists.
    func upsertProject(_ project: Project) async throws(StoreError)
    /// Deletes the project with everything in it: members, columns, cards, comments,
    /// mentions, room events, the room's seq counter, its outbox rows and the request
    /// keys of its commands (a retry then runs anew). A later
    /// project with the same id starts a new room at seq 1. Nothing if it does not exist.
    func deleteProject(id: String) async throws(StoreError)
    func project(id: String) async throws(StoreError) -> Project?
    /// All projects ordered by id.
    func listProjects() async throws(StoreError) -> [Project]

    /// Adds the member or updates their name, e-mail and username. Throws
    /// ``StoreError/Code/notFound`` if the project does not exist and
    /// ``StoreError/Code/constraint`` if another member of the project has the same
    /// username (case-insensitively).
    func upsertMember(_ member: Member) async throws(StoreError)
    /// Removes the membership; nothing if there is none. Past events are untouched.
    func removeMember(projectID: String, userID: String) async throws(StoreError)
    /// The project's members ordered by username (case-insensitively), then user id.
    func members(projectID: String) async throws(StoreError) -> [Member]
    func member(projectID: String, userID: String) async throws(StoreError) -> Member?

    /// Adds or updates (name, position) a column. ``StoreError/Code/notFound`` if the
    /// project does not exist.
    func upsertColumn(_ column: Column) async throws(StoreError)
    /// Deletes an empty column; ``StoreError/Code/constraint`` if it still has cards,
    /// ``StoreError/Code/notFound`` if the project or the column does not exist.
    func deleteColumn(projectID: String, columnID: String) async throws(StoreError)
    /// The project's columns in display order (`position`, then `id`).
    func columns(projectID: String) async throws(StoreError) -> [Column]
    /// The board as of the room's head seq, read in one transaction (so a client can
    /// apply every later event with `seq > headSeq` on top of it); `nil` if the project
    /// does not exist.
    func board(projectID: String) async throws(StoreError) -> Board?

    // MARK: Room events

    /// Applies a batch of commands in ONE transaction (group commit) and returns one
    /// outcome per command, in order.
    ///
    /// - Each command runs in its own savepoint: a command that fails (not found,
    ///   conflict, reused key, rejected) changes nothing and the others go on.
    /// - Each stored command appends one event with its room's next seq: seqs are
    ///   gapless from 1 and unique per room, in commit order, also when many callers
    ///   commit concurrently. Commands of one batch get their seqs in batch order.
    /// - The outbox rows a command asks for are written in its transaction: they exist
    ///   exactly when its event does.
    /// - Durability: when the call returns, every `.stored` event is durable (for the
    ///   SQLite store: survives a crash of the process and, on storage that honours
    ///   fsync, power loss).
    /// - If the transaction as a whole cannot commit (disk full, I/O error, the store is
    ///   closed) the call throws and nothing of the batch was stored.
    func commit(_ batch: [Command]) async throws(StoreError) -> [CommandOutcome]
    /// Up to `limit` events of the room with `seq > afterSeq`, in ascending seq order.
    /// ``StoreError/Code/invalidArgument`` if `limit` is negative.
    func events(room: String, afterSeq: Int64, limit: Int) async throws(StoreError) -> [StoredEvent]
    /// The seq of the room's newest event; 0 if it never had one. Pruning does not lower it.
    func headSeq(room: String) async throws(StoreError) -> Int64
    /// The oldest seq still kept, or `headSeq + 1` if none is (events may be pruned): a
    /// client that has seen up to `s` can catch up only if `s + 1 >= oldestRetainedSeq`.
    func oldestRetainedSeq(room: String) async throws(StoreError) -> Int64
    /// Deletes the room's events except the newest `n` (`n >= 0`).
    func pruneEvents(room: String, keepingLast n: Int) async throws(StoreError)

    // MARK: Outbox and idempotency

    /// Up to `limit` pending outbox rows, oldest first.
    func pendingNotifications(limit: Int) async throws(StoreError) -> [OutboxEntry]
    /// Records the result of a delivery attempt for each row: sets its state and counts
    /// the attempt. Unknown ids are ignored.
    func markNotifications(_ ids: [Int64], state: OutboxState) async throws(StoreError)
    /// Forgets the request keys of commands whose time is before `olderThan` (unix ms);
    /// a retry after that applies the command again.
    func purgeIdempotencyKeys(olderThan: Int64) async throws(StoreError)

    // MARK: Life

    /// Succeeds when the store can serve reads and writes (readiness probe).
    func ping() async throws(StoreError)
    /// Finishes the work already submitted, then releases the database; every later call
    /// throws ``StoreError/closed``. Idempotent.
    func close() async
}
