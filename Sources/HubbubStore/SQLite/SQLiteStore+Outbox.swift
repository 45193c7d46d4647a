extension SQLiteStore {
    public func pendingNotifications(limit: Int) async throws(StoreError) -> [OutboxEntry] {
        guard limit >= 0 else { throw StoreError(code: .invalidArgument, message: "negative limit \(limit)") }
        return try await read { db throws(StoreError) in
            try db.query(
                "SELECT \(SQLiteRecords.outboxColumns) FROM outbox WHERE state = 'pending' ORDER BY id LIMIT ?",
                [.int(limit)]
            ) { row throws(StoreError) in SQLiteRecords.outboxEntry(row) }
        }
    }

    public func markNotifications(_ ids: [Int64], state: OutboxState) async throws(StoreError) {
        guard state != .leased else {
            throw StoreError(code: .invalidArgument, message: "markNotifications cannot lease: use claimDigests")
        }
        guard !ids.isEmpty else { return }
        try await write { db throws(StoreError) in
            let now = WallClock.nowMillis()
            try db.transaction(immediate: true) { () throws(StoreError) in
                for id in ids {
                    try db.run(
                        """
                        UPDATE outbox SET state = ?, attempts = attempts + 1, lease_owner = NULL, lease_until = NULL,
                            updated_at = ?
                        WHERE id = ?
                        """,
                        [.text(state.rawValue), .int(now), .int(id)]
                    )
                }
            }
        }
    }

    public func purgeIdempotencyKeys(olderThan: Int64) async throws(StoreError) {
        try await write { db throws(StoreError) in
            try db.run("DELETE FROM idempotency_keys WHERE time < ?", [.int(olderThan)])
        }
    }
}
