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

    /// Up to `limit` pending outbox rows (state ``OutboxState/pending`` only: neither
    /// leased nor finished), oldest first. For inspection and tests; the mailer uses
    /// ``claimDigests(_:)``.
    func pendingNotifications(limit: Int) async throws(StoreError) -> [OutboxEntry]
    /// Sets the state of each row, whatever its state and lease, and counts one
    /// attempt; clears any lease. Unknown ids are ignored.
    /// ``StoreError/Code/invalidArgument`` for ``OutboxState/leased`` (a lease needs an
    /// owner: see ``claimDigests(_:)``). An administrative override; the mailer uses the
    /// digest calls below.
    func markNotifications(_ ids: [Int64], state: OutboxState) async throws(StoreError)
    /// Forgets the request keys of commands whose time is before `olderThan` (unix ms);
    /// a retry after that applies the command again.
    func purgeIdempotencyKeys(olderThan: Int64) async throws(StoreError)

    // MARK: E-mail queue (docs/email.md)
    //
    // A row is *claimable* at time `now` when it is pending, or leased with
    // `lease_until <= now` (its mailer died or overran). Rows are grouped per recipient,
    // the pair (user id, e-mail address). A recipient is *due* at `now` when it has a
    // claimable row, NO row under a live lease (`leased` with `lease_until > now`: one
    // digest per recipient in flight), every claimable row has `not_before <= now`
    // (a digest in backoff holds back the recipient's newer rows too, so they are sent
    // together), and its oldest claimable row has `created_at <= now - grace`.
    //
    // Exactly once: a row is leased to at most one owner at a time, and only the
    // owner's complete / retry / deadLetter / release changes a leased row (they return
    // how many rows they changed: fewer than asked means the lease was lost: it
    // expired and another mailer claimed the rows). SQLite runs each call in one
    // `BEGIN IMMEDIATE` transaction; PostgreSQL claims with `FOR UPDATE SKIP LOCKED`
    // (docs/email.md, "PostgreSQL").

    /// Claims up to `claim.maxDigests` due recipients, oldest first (by their oldest
    /// claimable row, then user id, then address), atomically: for each, up to
    /// `claim.maxNotificationsPerDigest` of its claimable rows (lowest ids first) become
    /// ``OutboxState/leased`` with `lease_owner = claim.owner` and
    /// `lease_until = claim.now + claim.lease`. Attempts are not counted here.
    ///
    /// Concurrent calls (other tasks, processes or hosts) never return the same row
    /// while its lease lives. ``StoreError/Code/invalidArgument`` if `grace < 0`,
    /// `lease <= 0`, `maxDigests < 0`, `maxNotificationsPerDigest < 1` or `owner` is empty.
    func claimDigests(_ claim: DigestClaim) async throws(StoreError) -> [NotificationDigest]
    /// The digest was delivered: each row of `ids` still leased to `owner` (its lease
    /// expired or not, as long as no one claimed it since) becomes ``OutboxState/sent``,
    /// counts one attempt and loses its lease. Returns how many rows changed; other ids
    /// are left alone.
    func completeDigest(_ ids: [Int64], owner: String, now: Int64) async throws(StoreError) -> Int
    /// The delivery failed for a reason that may pass: each row of `ids` still leased to
    /// `owner` goes back to ``OutboxState/pending`` with `not_before = notBefore`,
    /// `last_error = error` and one more attempt. Returns how many rows changed.
    func retryDigest(_ ids: [Int64], owner: String, notBefore: Int64, error: String, now: Int64)
        async throws(StoreError) -> Int
    /// The delivery failed for good (a permanent refusal, or the last attempt): each row
    /// of `ids` still leased to `owner` becomes ``OutboxState/dead`` with
    /// `last_error = reason` and one more attempt. Returns how many rows changed.
    func deadLetter(_ ids: [Int64], owner: String, reason: String, now: Int64) async throws(StoreError) -> Int
    /// The mailer gives the claim back without trying (graceful shutdown): each row of
    /// `ids` still leased to `owner` goes back to ``OutboxState/pending`` unchanged
    /// otherwise (no attempt counted, `not_before` kept). Returns how many rows changed.
    func releaseDigest(_ ids: [Int64], owner: String, now: Int64) async throws(StoreError) -> Int
    /// The user has seen the room up to `upToSeq` (came online and received the events,
    /// or marked them read): their ``OutboxState/pending`` rows of `room` with
    /// `seq <= upToSeq` become ``OutboxState/cancelled``. Rows already leased (a mailer
    /// is sending them) or finished are left alone. Returns how many rows changed.
    func cancelNotifications(userID: String, room: String, upToSeq: Int64, now: Int64)
        async throws(StoreError) -> Int
    /// How many rows are in each state, read in one snapshot.
    func outboxCounts() async throws(StoreError) -> OutboxCounts
    /// Deletes finished rows (``OutboxState/sent``, ``OutboxState/dead``,
    /// ``OutboxState/cancelled``) last changed before `finishedBefore` (unix ms).
    /// Returns how many rows were deleted. Pending and leased rows are never deleted.
    func purgeNotifications(finishedBefore: Int64) async throws(StoreError) -> Int
    // MARK: Life

    /// Succeeds when the store can serve reads and writes (readiness probe).
    func ping() async throws(StoreError)
    /// Finishes the work already submitted, then releases the database; every later call
    /// throws ``StoreError/closed``. Idempotent.
    func close() async
}
