import HubbubStore

extension PostgresStore {
    public func commit(_ batch: [Command]) async throws(StoreError) -> [CommandOutcome] {
        guard !batch.isEmpty else { return [] }
        return try await run { db throws(StoreError) in try PostgresCommandWriter(db: db).commit(batch) }
    }

    public func events(room: String, afterSeq: Int64, limit: Int) async throws(StoreError) -> [StoredEvent] {
        guard limit >= 0 else { throw StoreError(code: .invalidArgument, message: "negative limit \(limit)") }
        guard limit > 0 else { return [] }
        return try await run { db throws(StoreError) in
            try db.query(PostgresRecords.selectEventsAfter, [.text(room), .int(afterSeq), .int(limit)]).rows {
                PostgresRecords.event($0, $1)
            }
        }
    }

    public func headSeq(room: String) async throws(StoreError) -> Int64 {
        try await run { db throws(StoreError) in
            try db.query(PostgresRecords.selectHeadSeq, [.text(room)]).first { $0.int64($1, 0) } ?? 0
        }
    }

    /// One statement, so one snapshot.
    public func oldestRetainedSeq(room: String) async throws(StoreError) -> Int64 {
        try await run { db throws(StoreError) in
            try db.query(
                """
                SELECT coalesce(
                    (SELECT min(seq) FROM events WHERE room = $1),
                    (SELECT head_seq + 1 FROM rooms WHERE room = $1),
                    1)
                """,
                [.text(room)]
            ).int64(0, 0)
        }
    }

    public func pruneEvents(room: String, keepingLast n: Int) async throws(StoreError) {
        guard n >= 0 else { throw StoreError(code: .invalidArgument, message: "negative count \(n)") }
        try await run { db throws(StoreError) in
            _ = try db.query(
                "DELETE FROM events WHERE room = $1 AND seq <= (SELECT head_seq FROM rooms WHERE room = $1) - $2",
                [.text(room), .int(n)])
        }
    }
}
