extension SQLiteStore {
    public func commit(_ batch: [Command]) async throws(StoreError) -> [CommandOutcome] {
        guard !batch.isEmpty else { return [] }
        return try await write { db throws(StoreError) in try SQLiteCommandWriter(db: db).commit(batch) }
    }

    public func events(room: String, afterSeq: Int64, limit: Int) async throws(StoreError) -> [StoredEvent] {
        guard limit >= 0 else { throw StoreError(code: .invalidArgument, message: "negative limit \(limit)") }
        guard limit > 0 else { return [] }
        return try await read { db throws(StoreError) in
            try db.query(
                SQLiteRecords.selectEventsAfter,
                [.text(room), .int(afterSeq), .int(limit)]
            ) { row throws(StoreError) in SQLiteRecords.event(row) }
        }
    }

    public func headSeq(room: String) async throws(StoreError) -> Int64 {
        try await read { db throws(StoreError) in try Self.headSeq(room, db) }
    }

    public func oldestRetainedSeq(room: String) async throws(StoreError) -> Int64 {
        try await read { db throws(StoreError) in
            try db.transaction(immediate: false) { () throws(StoreError) -> Int64 in
                let oldest = try db.queryFirst("SELECT min(seq) FROM events WHERE room = ?", [.text(room)]) {
                    row throws(StoreError) -> Int64? in row.isNull(0) ? nil : row.int64(0)
                } ?? nil
                if let oldest { return oldest }
                return try Self.headSeq(room, db) + 1
            }
        }
    }

    public func pruneEvents(room: String, keepingLast n: Int) async throws(StoreError) {
        guard n >= 0 else { throw StoreError(code: .invalidArgument, message: "negative count \(n)") }
        try await write { db throws(StoreError) in
            try db.transaction(immediate: true) { () throws(StoreError) in
                let head = try Self.headSeq(room, db)
                try db.run("DELETE FROM events WHERE room = ? AND seq <= ?", [.text(room), .int(head - Int64(n))])
            }
        }
    }
}
