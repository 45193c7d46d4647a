/// The e-mail queue's claims (see ``Store/claimDigests(_:)``). Each call is one
/// `BEGIN IMMEDIATE` transaction on the writer connection: SQLite's write lock
/// serializes it against every other writer, in this process and in any other process
/// using the same file (the busy timeout makes them wait), so two mailers can never
/// lease the same row.
extension SQLiteStore {
    public func claimDigests(_ claim: DigestClaim) async throws(StoreError) -> [NotificationDigest] {
        try Self.validate(claim)
        guard claim.maxDigests > 0 else { return [] }
        let leaseUntil = claim.now + claim.lease
        return try await write { db throws(StoreError) in
            try db.transaction(immediate: true) { () throws(StoreError) -> [NotificationDigest] in
                let due = try db.query(
                    Self.selectDueRecipients,
                    [.int(claim.now), .int(claim.now - claim.grace), .int(claim.maxDigests)]
                ) { row throws(StoreError) in (userID: row.text(0), email: row.text(1)) }
                var digests: [NotificationDigest] = []
                for recipient in due {
                    var rows = try db.query(
                        Self.leaseRecipientRows,
                        [
                            .text(claim.owner), .int(leaseUntil), .int(claim.now), .text(recipient.userID),
                            .text(recipient.email), .int(claim.maxNotificationsPerDigest),
                        ]
                    ) { row throws(StoreError) in SQLiteRecords.outboxEntry(row) }
                    guard !rows.isEmpty else { continue }
                    rows.sort { $0.id < $1.id }
                    digests.append(
                        NotificationDigest(
                            userID: recipient.userID, email: recipient.email, owner: claim.owner,
                            leaseUntil: leaseUntil, notifications: rows))
                }
                return digests
            }
        }
    }

    public func completeDigest(_ ids: [Int64], owner: String, now: Int64) async throws(StoreError) -> Int {
        try await finishLeased(
            ids, owner: owner,
            set: "state = 'sent', attempts = attempts + 1, lease_owner = NULL, lease_until = NULL, updated_at = ?",
            [.int(now)])
    }

    public func retryDigest(_ ids: [Int64], owner: String, notBefore: Int64, error: String, now: Int64)
        async throws(StoreError) -> Int
    {
        try await finishLeased(
            ids, owner: owner,
            set: """
                state = 'pending', attempts = attempts + 1, not_before = ?, last_error = ?, lease_owner = NULL,
                lease_until = NULL, updated_at = ?
                """,
            [.int(notBefore), .text(error), .int(now)])
    }

    public func deadLetter(_ ids: [Int64], owner: String, reason: String, now: Int64) async throws(StoreError) -> Int {
        try await finishLeased(
            ids, owner: owner,
            set: """
                state = 'dead', attempts = attempts + 1, last_error = ?, lease_owner = NULL, lease_until = NULL,
                updated_at = ?
                """,
            [.text(reason), .int(now)])
    }

    public func releaseDigest(_ ids: [Int64], owner: String, now: Int64) async throws(StoreError) -> Int {
        try await finishLeased(
            ids, owner: owner, set: "state = 'pending', lease_owner = NULL, lease_until = NULL, updated_at = ?",
            [.int(now)])
    }

    public func cancelNotifications(userID: String, room: String, upToSeq: Int64, now: Int64)
        async throws(StoreError) -> Int
    {
        try await write { db throws(StoreError) in
            try db.run(
                """
                UPDATE outbox SET state = 'cancelled', updated_at = ?
                WHERE user_id = ? AND room = ? AND seq <= ? AND state = 'pending'
                """,
                [.int(now), .text(userID), .text(room), .int(upToSeq)])
            return db.changes
        }
    }

    public func outboxCounts() async throws(StoreError) -> OutboxCounts {
        try await read { db throws(StoreError) in
            try db.transaction(immediate: false) { () throws(StoreError) -> OutboxCounts in
                var counts = OutboxCounts()
                let byState = try db.query("SELECT state, COUNT(*) FROM outbox GROUP BY state") {
                    row throws(StoreError) in (row.text(0), row.int(1))
                }
                for (state, count) in byState {
                    switch OutboxState(rawValue: state) {
                    case .pending: counts.pending = count
                    case .leased: counts.leased = count
                    case .sent: counts.sent = count
                    case .dead: counts.dead = count
                    case .cancelled: counts.cancelled = count
                    case nil: break
                    }
                }
                counts.oldestWaitingCreatedAt = try db.queryFirst(
                    "SELECT MIN(created_at) FROM outbox WHERE state IN ('pending', 'leased')"
                ) { row throws(StoreError) in row.isNull(0) ? nil : row.int64(0) } ?? nil
                return counts
            }
        }
    }

    public func purgeNotifications(finishedBefore: Int64) async throws(StoreError) -> Int {
        try await write { db throws(StoreError) in
            try db.run(
                "DELETE FROM outbox WHERE state IN ('sent', 'dead', 'cancelled') AND updated_at < ?",
                [.int(finishedBefore)])
            return db.changes
        }
    }

    // MARK: Building blocks

    /// Recipients due at `?1` (now) whose oldest claimable row was created at or before
    /// `?2` (now - grace), at most `?3`, oldest first; see ``Store`` for "due".
    private static let selectDueRecipients = """
        SELECT user_id, email FROM outbox
        WHERE state IN ('pending', 'leased')
        GROUP BY user_id, email
        HAVING SUM(state = 'leased' AND lease_until > ?1) = 0
           AND MAX(not_before) <= ?1
           AND MIN(created_at) <= ?2
        ORDER BY MIN(created_at), user_id, email
        LIMIT ?3
        """

    /// Leases the recipient's claimable rows, lowest ids first (the recipient has no live
    /// lease, checked by ``selectDueRecipients`` in the same transaction).
    private static let leaseRecipientRows = """
        UPDATE outbox SET state = 'leased', lease_owner = ?1, lease_until = ?2, updated_at = ?3
        WHERE id IN (
            SELECT id FROM outbox
            WHERE user_id = ?4 AND email = ?5 AND state IN ('pending', 'leased')
            ORDER BY id LIMIT ?6)
        RETURNING \(SQLiteRecords.outboxColumns)
        """

    /// Applies `set` (its `?` placeholders bound to `values`) to each row of `ids` still
    /// leased to `owner`, in one transaction; returns how many changed.
    private func finishLeased(_ ids: [Int64], owner: String, set: String, _ values: [SQLiteValue])
        async throws(StoreError) -> Int
    {
        guard !ids.isEmpty else { return 0 }
        let sql = "UPDATE outbox SET \(set) WHERE id = ? AND state = 'leased' AND lease_owner = ?"
        return try await write { db throws(StoreError) in
            try db.transaction(immediate: true) { () throws(StoreError) -> Int in
                var changed = 0
                for id in ids {
                    try db.run(sql, values + [.int(id), .text(owner)])
                    changed += db.changes
                }
                return changed
            }
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
