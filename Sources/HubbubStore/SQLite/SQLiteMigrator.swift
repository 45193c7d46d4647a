/// Applies ``SchemaMigration``s to an SQLite database and records them in
/// `schema_migrations(version, name, applied_at)`.
///
/// Everything happens in one `BEGIN IMMEDIATE` transaction, so two processes opening
/// the same file at once cannot both apply a migration, and a failing migration leaves
/// the database as it was.
struct SQLiteMigrator {
    let migrations: [SchemaMigration]

    /// Returns the versions applied now (empty when the schema was current).
    func migrate(_ db: SQLiteConnection, now: Int64) throws(StoreError) -> [Int] {
        try db.transaction(immediate: true) { () throws(StoreError) -> [Int] in
            try db.execute(
                script: """
                    CREATE TABLE IF NOT EXISTS schema_migrations (
                        version    INTEGER PRIMARY KEY NOT NULL,
                        name       TEXT NOT NULL,
                        applied_at INTEGER NOT NULL
                    )
                    """
            )
            let recorded = try db.query("SELECT version, name FROM schema_migrations ORDER BY version") {
                row throws(StoreError) in (version: row.int(0), name: row.text(1))
            }
            for (index, entry) in recorded.enumerated() {
                guard index < migrations.count, migrations[index].version == entry.version,
                    migrations[index].name == entry.name
                else {
                    throw StoreError(
                        code: .schemaMismatch,
                        message: "\(db.path) records migration \(entry.version) '\(entry.name)', which this "
                            + "version of hubbub does not have; use a newer hubbub"
                    )
                }
            }
            var applied: [Int] = []
            for migration in migrations.dropFirst(recorded.count) {
                do throws(StoreError) {
                    try db.execute(script: migration.sql)
                } catch {
                    throw StoreError(
                        code: .schemaMismatch,
                        message: "migration \(migration.version) '\(migration.name)' failed: \(error.message)"
                    )
                }
                try db.run(
                    "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                    [.int(migration.version), .text(migration.name), .int(now)]
                )
                applied.append(migration.version)
            }
            return applied
        }
    }
}
