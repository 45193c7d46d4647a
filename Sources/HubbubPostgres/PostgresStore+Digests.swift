import HubbubStore

/// The e-mail queue's claims (see ``Store/claimDigests(_:)`` and docs/email.md,
/// "PostgreSQL"). Any number of mailers (tasks, processes, hosts) may claim at once:
///
/// - a claim is one READ COMMITTED transaction; it picks candidate recipients without
///   locks, then, per candidate, takes `pg_try_advisory_xact_lock` on the recipient
///   (``recipientLock``): a recipient another transaction is claiming right now is
///   skipped, never waited for, so a recipient's rows are claimed by one transaction,
///   together (one digest per recipient in flight);
/// - the lease itself is an `UPDATE` of rows picked `FOR UPDATE SKIP LOCKED`, in a new
///   statement (a new snapshot, taken after the lock was granted, hence after any other
///   claim of that recipient committed): it re-checks that the recipient has no live
///   lease and that each row is still claimable, and passes over rows that a complete,
///   retry or cancellation holds;
/// - complete / retry / dead-letter / release are single `UPDATE`s guarded by
///   `state = 'leased' AND lease_owner = $owner`: a row claimed again by another
///   mailer (after its lease ran out) is no longer the first owner's.
///
/// A claim never waits for a row lock, so it cannot take part in a deadlock.
extension PostgresStore {
    public func claimDigests(_ claim: DigestClaim) async throws(StoreError) -> [NotificationDigest] {
        try Self.validate(claim)
        guard claim.maxDigests > 0 else { return [] }
        return try await transaction { db throws(StoreError) in
            try Self.claim(claim, db)
        }
    }

    public func completeDigest(_ ids: [Int64], owner: String, now: Int64) async throws(StoreError) -> Int {
        try await finishLeased(
            ids, owner: owner,
            set: "state = 'sent', attempts = attempts + 1, lease_owner = NULL, lease_until = NULL, updated_at = $3",
            [.int(now)])
    }

    public func retryDigest(_ ids: [Int64], owner: String, notBefore: Int64, error: String, now: Int64)
        async throws(StoreError) -> Int
    {
        try await finishLeased(
            ids, owner: owner,
            set: """
                state = 'pending', attempts = attempts + 1, not_before = $3, last_error = $4, lease_owner = NULL,
                lease_until = NULL, updated_at = $5
                """,
            [.int(notBefore), .text(error), .int(now)])
    }

    public func deadLetter(_ ids: [Int64], owner: String, reason: String, now: Int64) async throws(StoreError) -> Int {
        try await finishLeased(
            ids, owner: owner,
            set: """
                state = 'dead', attempts = attempts + 1, last_error = $3, lease_owner = NULL, lease_until = NULL,
                updated_at = $4
                """,
            [.text(reason), .int(now)])
    }

    public func releaseDigest(_ ids: [Int64], owner: String, now: Int64) async throws(StoreError) -> Int {
        try await finishLeased(
            ids, owner: owner, set: "state = 'pending', lease_owner = NULL, lease_until = NULL, updated_at = $3",
            [.int(now)])
    }

    public func cancelNotifications(userID: String, room: String, upToSeq: Int64, now: Int64)
        async throws(StoreError) -> Int
    {
        try await run { db throws(StoreError) in
            try db.query(
                """
                UPDATE outbox SET state = 'cancelled', updated_at = $1
                WHERE user_id = $2 AND room = $3 AND seq <= $4 AND state = 'pending'
                """,
                [.int(now), .text(userID), .text(room), .int(upToSeq)]
            ).affectedRows
        }
    }

    public func outboxCounts() async throws(StoreError) -> OutboxCounts {
        // One statement: one snapshot.
        let byState = try await run { db throws(StoreError) in
            try db.query("SELECT state, count(*), min(created_at) FROM outbox GROUP BY state").rows {
                result, row in (state: result.text(row, 0), count: result.int(row, 1), oldest: result.int64(row, 2))
            }
        }
        var counts = OutboxCounts()
        for entry in byState {
            switch OutboxState(rawValue: entry.state) {
            case .pending: counts.pending = entry.count
            case .leased: counts.leased = entry.count
            case .sent: counts.sent = entry.count
            case .dead: counts.dead = entry.count
            case .cancelled: counts.cancelled = entry.count
            case nil: continue
            }
            if entry.state == OutboxState.pending.rawValue || entry.state == OutboxState.leased.rawValue {
                counts.oldestWaitingCreatedAt = min(counts.oldestWaitingCreatedAt ?? entry.oldest, entry.oldest)
            }
        }
        return counts
    }

    public func purgeNotifications(finishedBefore: Int64) async throws(StoreError) -> Int {
        try await run { db throws(StoreError) in
            try db.query(
                "DELETE FROM outbox WHERE state IN ('sent', 'dead', 'cancelled') AND updated_at < $1",
                [.int(finishedBefore)]
            ).affectedRows
        }
    }

    // MARK: Building blocks

    /// Candidate recipients due at `$1` (now) whose oldest claimable row was created at
    /// or before `$2` (now - grace), at most `$3`, oldest first; see ``Store`` for
    /// "due". Read without locks (a GROUP BY cannot be `FOR UPDATE`): ``leaseRecipientRows``
    /// re-checks under the recipient's lock.
    static let selectDueRecipients = """
        SELECT user_id, email FROM outbox
        WHERE state IN ('pending', 'leased')
        GROUP BY user_id, email
        HAVING count(*) FILTER (WHERE state = 'leased' AND lease_until > $1) = 0
           AND max(not_before) <= $1
           AND min(created_at) <= $2
        ORDER BY min(created_at), user_id, email
        LIMIT $3
        """

    /// `true` if this transaction now holds the recipient's (`$1`, `$2`) claim lock,
    /// `false` if another transaction is claiming them. Released at commit or rollback.
    static let recipientLock =
        "SELECT pg_try_advisory_xact_lock(hashtextextended($1::text || ' ' || $2::text, 0))"

    /// Leases up to `$6` claimable rows of the recipient (`$4`, `$5`), lowest ids first,
    /// to `$1` until `$2` at `$3` (now), unless the recipient has a live lease or a row
    /// in backoff. Run in a new statement after ``recipientLock`` was granted: its
    /// snapshot sees every other claim of the recipient that committed; `FOR UPDATE`
    /// re-checks each row's newest version and `SKIP LOCKED` passes over rows another
    /// transaction is changing.
    static let leaseRecipientRows = """
        UPDATE outbox SET state = 'leased', lease_owner = $1, lease_until = $2, updated_at = $3
        WHERE id IN (
            SELECT id FROM outbox
            WHERE user_id = $4 AND email = $5
              AND (state = 'pending' OR (state = 'leased' AND lease_until <= $3))
              AND not_before <= $3
              AND NOT EXISTS (
                  SELECT 1 FROM outbox busy
                  WHERE busy.user_id = $4 AND busy.email = $5
                    AND ((busy.state = 'leased' AND busy.lease_until > $3)
                         OR (busy.state IN ('pending', 'leased') AND busy.not_before > $3)))
            ORDER BY id LIMIT $6
            FOR UPDATE SKIP LOCKED)
        RETURNING \(PostgresRecords.outboxColumns)
        """

    /// How many times a claim looks for candidates again after some were taken or held
    /// by concurrent claims.
    private static let claimRounds = 4

    /// Runs inside the claim's transaction.
    private static func claim(_ claim: DigestClaim, _ db: PostgresConnection) throws(StoreError)
        -> [NotificationDigest]
    {
        let leaseUntil = claim.now + claim.lease
        var digests: [NotificationDigest] = []
        // Recipients this claim already tried (leased, found taken, or held by another claim).
        var tried = Set<Recipient>()
        for _ in 0..<claimRounds {
            let wanted = claim.maxDigests - digests.count
            // Twice what is wanted, plus the ones tried: concurrent claims take some.
            let limit = Int64(clamping: wanted) &* 2 &+ Int64(tried.count)
            let candidates = try db.query(
                selectDueRecipients, [.int(claim.now), .int(claim.now - claim.grace), .int(max(limit, 1))]
            ).rows { result, row in Recipient(userID: result.text(row, 0), email: result.text(row, 1)) }
                .filter { !tried.contains($0) }
            if candidates.isEmpty { break }
            for recipient in candidates {
                if digests.count == claim.maxDigests { break }
                tried.insert(recipient)
                let locked = try db.query(recipientLock, [.text(recipient.userID), .text(recipient.email)]).bool(0, 0)
                guard locked else { continue }
                var rows = try db.query(
                    leaseRecipientRows,
                    [
                        .text(claim.owner), .int(leaseUntil), .int(claim.now), .text(recipient.userID),
                        .text(recipient.email), .int(claim.maxNotificationsPerDigest),
                    ]
                ).rows(PostgresRecords.outboxEntry)
                guard !rows.isEmpty else { continue }
                rows.sort { $0.id < $1.id }
                digests.append(
                    NotificationDigest(
                        userID: recipient.userID, email: recipient.email, owner: claim.owner,
                        leaseUntil: leaseUntil, notifications: rows))
            }
            if digests.count == claim.maxDigests { break }
        }
        return digests
    }

    /// Applies `set` (its placeholders from `$3`, bound to `values`) to each row of `ids`
    /// still leased to `owner`, in one statement; returns how many changed.
    private func finishLeased(_ ids: [Int64], owner: String, set: String, _ values: [PostgresValue])
        async throws(StoreError) -> Int
    {
        guard !ids.isEmpty else { return 0 }
        let sql = "UPDATE outbox SET \(set) WHERE id = ANY($1::bigint[]) AND state = 'leased' AND lease_owner = $2"
        let parameters: [PostgresValue] = [.intArray(ids), .text(owner)] + values
        return try await run { db throws(StoreError) in
            try db.query(sql, parameters).affectedRows
        }
    }

    private static func validate(_ claim: DigestClaim) throws(StoreError) {
        var problems: [String] = []
        if claim.owner.isEmpty { problems.append("empty owner") }
        if claim.grace < 0 { problems.append("negative grace \(claim.grace)") }
        if claim.lease <= 0 { problems.append("lease \(claim.lease) is not positive") }
        if claim.maxDigests < 0 { problems.append("negative maxDigests \(claim.maxDigests)") }
        if claim.maxNotificationsPerDigest < 1 {
            problems.append("maxNotificationsPerDigest \(claim.maxNotificationsPerDigest) is below 1")
        }
        guard problems.isEmpty else {
            throw StoreError(code: .invalidArgument, message: "claimDigests: " + problems.joined(separator: ", "))
        }
    }
}

/// A digest's recipient: the pair (user id, e-mail address).
private struct Recipient: Hashable {
    let userID: String
    let email: String
}
