import HubbubStore

/// Applies the store's migrations to a PostgreSQL database and records them in
/// `schema_migrations(version, name, applied_at)`, or checks that they are all there.
///
/// ``migrate(_:now:)`` runs in one transaction holding a transaction-level advisory lock
/// (``PostgresSchema/migrationLockKey``): several nodes starting at once (or `hubbub
/// migrate` during a rolling start) apply each migration exactly once, the others
/// wait and then find nothing to do; a failing migration leaves the database as it was.
struct PostgresMigrator {
    let migrations: [PostgresMigration]

    init(migrations: [PostgresMigration] = PostgresSchema.migrations) {
        self.migrations = migrations
    }

    /// Returns the versions applied now (empty when the schema was current).
    func migrate(_ db: PostgresConnection, now: Int64) throws(StoreError) -> [Int] {
        try db.execute(script: "BEGIN")
        try db.query("SELECT pg_advisory_xact_lock($1)", [.int(PostgresSchema.migrationLockKey)])
        try db.execute(
            script: """
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version    integer PRIMARY KEY,
                    name       text NOT NULL,
                    applied_at bigint NOT NULL
                )
                """)
        let recorded = try recordedMigrations(db)
        try requireKnown(recorded)
        var applied: [Int] = []
        for migration in migrations.dropFirst(recorded.count) {
            do throws(StoreError) {
                try db.execute(script: migration.sql)
            } catch {
                throw StoreError(
                    code: .schemaMismatch,
                    message: "migration \(migration.version) '\(migration.name)' failed: \(error.message)")
            }
            try db.query(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
                [.int(migration.version), .text(migration.name), .int(now)])
            applied.append(migration.version)
        }
        let commit = try db.execute(script: "COMMIT")
        guard commit.commandStatus == "COMMIT" else {
            throw StoreError(code: .schemaMismatch, message: "the migration transaction did not commit")
        }
        return applied
    }

    /// Throws ``StoreError/Code/schemaMismatch`` unless every migration is recorded
    /// (and nothing else).
    func requireCurrent(_ db: PostgresConnection) throws(StoreError) {
        let exists = try db.query("SELECT to_regclass('schema_migrations') IS NOT NULL").bool(0, 0)
        let recorded = exists ? try recordedMigrations(db) : []
        try requireKnown(recorded)
        guard recorded.count == migrations.count else {
            throw StoreError(
                code: .schemaMismatch,
                message: "the database schema is at version \(recorded.last?.version ?? 0), this hubbub needs "
                    + "\(migrations.last?.version ?? 0): run `hubbub migrate` (or enable migrate-on-open)")
        }
    }

    private func recordedMigrations(_ db: PostgresConnection) throws(StoreError) -> [(version: Int, name: String)] {
        try db.query("SELECT version, name FROM schema_migrations ORDER BY version").rows { row, index in
            (version: row.int(index, 0), name: row.text(index, 1))
        }
    }

    /// Refuses a database recording a migration this binary does not have.
    private func requireKnown(_ recorded: [(version: Int, name: String)]) throws(StoreError) {
        for (index, entry) in recorded.enumerated() {
            guard index < migrations.count, migrations[index].version == entry.version,
                migrations[index].name == entry.name
            else {
                throw StoreError(
                    code: .schemaMismatch,
                    message: "the database records migration \(entry.version) '\(entry.name)', which this "
                        + "version of hubbub does not have; use a newer hubbub")
            }
        }
    }
}
