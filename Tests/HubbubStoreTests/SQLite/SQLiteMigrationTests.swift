import Testing

@testable import HubbubStore

@Suite("SQLite migrations")
struct SQLiteMigrationTests {
    @Test func migrationsAreRecordedAndNotAppliedTwice() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("data/hubbub.sqlite3")

        let first = try await SQLiteStore(path: path)
        #expect(first.migrationsAppliedAtOpen == SQLiteSchema.migrations.map(\.version))
        let recorded = try await first.read { db throws(StoreError) in
            try db.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version") {
                row throws(StoreError) in "\(row.int(0))|\(row.text(1))|\(row.int64(2))"
            }
        }
        #expect(recorded.count == SQLiteSchema.migrations.count)
        #expect(recorded.first?.hasPrefix("1|initial schema|") == true)
        try await first.upsertProject(Project(id: "p", name: "P"))
        await first.close()

        try await Task.sleep(for: .milliseconds(5))
        let second = try await SQLiteStore(path: path)
        #expect(second.migrationsAppliedAtOpen == [])
        let again = try await second.read { db throws(StoreError) in
            try db.query("SELECT version, name, applied_at FROM schema_migrations ORDER BY version") {
                row throws(StoreError) in "\(row.int(0))|\(row.text(1))|\(row.int64(2))"
            }
        }
        #expect(again == recorded, "nothing re-applied, applied_at unchanged")
        #expect(try await second.project(id: "p") == Project(id: "p", name: "P"))
        await second.close()
    }

    @Test func aDatabaseFromANewerVersionIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("hubbub.sqlite3")
        let store = try await SQLiteStore(path: path)
        try await store.write { db throws(StoreError) in
            try db.run("INSERT INTO schema_migrations (version, name, applied_at) VALUES (99, 'from the future', 0)")
        }
        await store.close()
        let error = await storeError { () throws(StoreError) in _ = try await SQLiteStore(path: path) }
        #expect(error?.code == .schemaMismatch)
    }

    /// A failing migration leaves the database as it was (one transaction), and the
    /// migrations before it that were already recorded stay recorded.
    @Test func aFailingMigrationChangesNothing() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("m.sqlite3")
        let one = SchemaMigration(version: 1, name: "one", sql: "CREATE TABLE a (x INTEGER);")
        let two = SchemaMigration(version: 2, name: "two", sql: "CREATE TABLE b (x INTEGER); INSERT INTO nope VALUES (1);")
        let twoFixed = SchemaMigration(version: 2, name: "two", sql: "CREATE TABLE b (x INTEGER);")

        let db = try SQLiteConnection(path: path)
        #expect(try SQLiteMigrator(migrations: [one]).migrate(db, now: 1) == [1])
        do {
            _ = try SQLiteMigrator(migrations: [one, two]).migrate(db, now: 2)
            Issue.record("expected the migration to fail")
        } catch {
            #expect(error.code == .schemaMismatch)
        }
        let tables = try db.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
            row throws(StoreError) in row.text(0)
        }
        #expect(tables == ["a", "schema_migrations"])
        #expect(try SQLiteMigrator(migrations: [one, twoFixed]).migrate(db, now: 3) == [2])
        #expect(try SQLiteMigrator(migrations: [one, twoFixed]).migrate(db, now: 4) == [])
        let renamed = SchemaMigration(version: 1, name: "renamed", sql: "")
        #expect(throws: StoreError.self) { try SQLiteMigrator(migrations: [renamed, twoFixed]).migrate(db, now: 5) }
    }

    @Test func migrationVersionsIncrease() {
        let versions = SQLiteSchema.migrations.map(\.version)
        #expect(versions == Array(1...versions.count))
    }
}
