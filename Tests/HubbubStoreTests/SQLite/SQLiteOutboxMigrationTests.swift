import Testing

@testable import HubbubStore

/// Migration 2 ("outbox claims") rebuilds the outbox table: rows, states and the id
/// counter survive.
@Suite("SQLite outbox migration")
struct SQLiteOutboxMigrationTests {
    @Test func rowsStatesAndIdCounterSurvive() throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let db = try SQLiteConnection(path: directory.file("m.sqlite3"))
        try db.execute(script: "PRAGMA foreign_keys = ON")
        let first = Array(SQLiteSchema.migrations.prefix(1))
        #expect(try SQLiteMigrator(migrations: first).migrate(db, now: 1) == [1])
        try db.execute(
            script: """
                INSERT INTO projects (id, name) VALUES ('p', 'P');
                INSERT INTO outbox (room, user_id, email, kind, event_id, seq, payload, state, attempts, created_at, updated_at)
                VALUES ('p', 'u1', 'a@x', 'mention', 'e1', 1, '{}', 'pending', 0, 10, 10),
                       ('p', 'u1', 'a@x', 'mention', 'e2', 2, '{}', 'sent', 1, 11, 12),
                       ('p', 'u2', 'b@x', 'mention', 'e3', 3, '{}', 'failed', 3, 12, 13),
                       ('p', 'u2', 'b@x', 'mention', 'e4', 4, '{}', 'pending', 0, 13, 13);
                DELETE FROM outbox WHERE event_id = 'e4';
                """)
        #expect(try SQLiteMigrator(migrations: SQLiteSchema.migrations).migrate(db, now: 2) == [2])
        let rows = try db.query("SELECT \(SQLiteRecords.outboxColumns) FROM outbox ORDER BY id") {
            row throws(StoreError) in SQLiteRecords.outboxEntry(row)
        }
        #expect(rows.map(\.id) == [1, 2, 3])
        #expect(rows.map(\.state) == [.pending, .sent, .dead])
        #expect(rows.map(\.attempts) == [0, 1, 3])
        #expect(rows.allSatisfy { $0.notBefore == 0 && $0.lastError == nil })
        try db.run(
            """
            INSERT INTO outbox (room, user_id, email, kind, event_id, seq, payload, created_at, updated_at)
            VALUES ('p', 'u3', 'c@x', 'mention', 'e5', 5, '{}', 14, 14)
            """)
        let newest = try db.queryFirst("SELECT MAX(id) FROM outbox") { row throws(StoreError) in row.int64(0) }
        #expect(newest == 5, "id 4 (deleted before the migration) is not reused")
        // The lease columns are present exactly when leased.
        #expect(throws: StoreError.self) {
            try db.run("UPDATE outbox SET state = 'leased' WHERE id = 1")
        }
        try db.run("DELETE FROM projects WHERE id = 'p'")
        #expect(try db.queryFirst("SELECT COUNT(*) FROM outbox") { row throws(StoreError) in row.int(0) } == 0)
    }
}
