/// One forward-only schema change. A store applies, at open, every migration of its
/// list that its `schema_migrations` table does not record yet, in version order, each
/// in the same transaction as its record. A database recording a version this binary
/// does not know (or a different name for a version) is refused, never "fixed".
///
/// Every backend keeps such a list (`SQLiteSchema.migrations`; the PostgreSQL store
/// will have its own with the same versions and names); a migration is never edited
/// once released: changes are new versions.
struct SchemaMigration: Sendable {
    let version: Int
    let name: String
    let sql: String
}
