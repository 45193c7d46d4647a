import HubbubStore

extension PostgresStore {
    public func pendingNotifications(limit: Int) async throws(StoreError) -> [OutboxEntry] {
        guard limit >= 0 else { throw StoreError(code: .invalidArgument, message: "negative limit \(limit)") }
        return try await run { db throws(StoreError) in
            try db.query(
                "SELECT \(PostgresRecords.outboxColumns) FROM outbox WHERE state = 'pending' ORDER BY id LIMIT $1",
                [.int(limit)]
            ).rows(PostgresRecords.outboxEntry)
        }
    }

    public func markNotifications(_ ids: [Int64], state: OutboxState) async throws(StoreError) {
        guard state != .leased else {
            throw StoreError(code: .invalidArgument, message: "markNotifications cannot lease: use claimDigests")
        }
        guard !ids.isEmpty else { return }
        let now = WallClock.nowMillis()
        try await run { db throws(StoreError) in
            _ = try db.query(
                """
                UPDATE outbox SET state = $1, attempts = attempts + 1, lease_owner = NULL, lease_until = NULL,
                    updated_at = $2
                WHERE id = ANY($3::bigint[])
                """,
                [.text(state.rawValue), .int(now), .intArray(ids)])
        }
    }

    public func purgeIdempotencyKeys(olderThan: Int64) async throws(StoreError) {
        try await run { db throws(StoreError) in
            _ = try db.query("DELETE FROM idempotency_keys WHERE time < $1", [.int(olderThan)])
        }
    }
}
