import Foundation
import Glibc

/// The embedded ``Store``: one SQLite database file (the single-node default,
/// `--data-dir/hubbub.sqlite3`).
///
/// Durability: the database runs in WAL mode with `synchronous=FULL`, so `commit`
/// returns only after the WAL holding the transaction was fsynced: an acknowledged event
/// survives `kill -9` of the process, and a power loss or kernel crash too provided the
/// disk honours fsync (no volatile write cache that lies). `foreign_keys=ON`, a busy
/// timeout, and the schema is migrated (``SchemaMigration``) when the store opens.
///
/// Threading: every SQLite call runs on the store's own threads, never on the caller's:
/// - one writer thread with one read-write connection runs all writes, one job at a
///   time in arrival order (each ``commit(_:)`` is one `BEGIN IMMEDIATE` transaction);
/// - `readerThreads` reader threads, each with its own `query_only` connection, serve
///   reads concurrently with the writer (WAL snapshots; a read sees every commit that
///   returned before it was called).
/// Callers suspend on a continuation until their job is done (see ``SQLiteWorker``).
/// A cancelled task still waits for its job: a write is never abandoned half-done.
///
/// Seq allocation: the `rooms(room, head_seq)` row is incremented inside the writing
/// transaction, under SQLite's write lock; another process writing the same file waits
/// for the lock (busy timeout), so seqs stay gapless and unique even then.
public final class SQLiteStore: Store {
    /// The database file (`:memory:` for ``inMemory()``).
    public let path: String
    /// Migration versions this open applied (empty when the schema was current).
    let migrationsAppliedAtOpen: [Int]
    private let writer: SQLiteWorker
    private let readers: SQLiteWorker

    /// Opens the database at `path`, creating it (and its directory) if needed, and
    /// migrates its schema.
    public init(path: String, configuration: Configuration = Configuration()) async throws(StoreError) {
        let inMemory = path == ":memory:"
        // Everything that touches the disk, opening included, runs on the store's threads.
        let writer = try await SQLiteWorker.start(name: "sqlite-writer", threads: 1) {
            () throws(StoreError) -> SQLiteConnection in
            if !inMemory { try Self.createParentDirectory(of: path) }
            let db = try SQLiteConnection(path: path)
            try Self.configure(db, configuration, writer: true, inMemory: inMemory)
            return db
        }
        let applied: [Int]
        do throws(StoreError) {
            applied = try await writer.run { db throws(StoreError) in
                let applied = try SQLiteMigrator(migrations: SQLiteSchema.migrations).migrate(
                    db, now: WallClock.nowMillis())
                if !inMemory { try Self.syncParentDirectory(of: path) }
                return applied
            }
        } catch {
            await writer.close()
            throw error
        }
        if inMemory {
            readers = writer
        } else {
            do throws(StoreError) {
                readers = try await SQLiteWorker.start(
                    name: "sqlite-read", threads: configuration.readerThreads
                ) { () throws(StoreError) -> SQLiteConnection in
                    let db = try SQLiteConnection(path: path)
                    try Self.configure(db, configuration, writer: false, inMemory: false)
                    return db
                }
            } catch {
                await writer.close()
                throw error
            }
        }
        self.path = path
        self.writer = writer
        self.migrationsAppliedAtOpen = applied
    }

    /// A private database in memory (gone when the store is closed), for tests. Not
    /// durable; reads run on the writer thread.
    public static func inMemory() async throws(StoreError) -> SQLiteStore {
        try await SQLiteStore(path: ":memory:")
    }

    public func close() async {
        await writer.close()
        await readers.close()
    }

    public func ping() async throws(StoreError) {
        // The write lock, briefly: a store another process keeps locked is not ready.
        try await write { db throws(StoreError) in try db.transaction(immediate: true) { () throws(StoreError) in } }
        try await read { db throws(StoreError) in try db.run("SELECT 1") }
    }

    /// Runs `body` on the writer thread.
    func write<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws(StoreError) -> T)
        async throws(StoreError) -> T
    {
        try await writer.run(body)
    }

    /// Runs `body` on a reader thread.
    func read<T: Sendable>(_ body: @escaping @Sendable (SQLiteConnection) throws(StoreError) -> T)
        async throws(StoreError) -> T
    {
        try await readers.run(body)
    }

    private static func configure(_ db: SQLiteConnection, _ configuration: Configuration, writer: Bool, inMemory: Bool)
        throws(StoreError)
    {
        try db.execute(script: "PRAGMA busy_timeout = \(max(configuration.busyTimeoutMillis, 0))")
        if writer {
            let mode = try db.queryFirst("PRAGMA journal_mode = WAL") { row throws(StoreError) in row.text(0) }
            if !inMemory && mode?.lowercased() != "wal" {
                throw StoreError(
                    code: .unavailable, message: "\(db.path): cannot use WAL mode (journal_mode is \(mode ?? "?"))")
            }
            try db.execute(
                script: """
                    PRAGMA journal_size_limit = \(configuration.journalSizeLimitBytes);
                    PRAGMA wal_autocheckpoint = \(configuration.walAutocheckpointPages);
                    """)
        }
        // FULL on every connection: whichever closes last checkpoints the WAL.
        try db.execute(script: "PRAGMA synchronous = FULL; PRAGMA foreign_keys = ON;")
        if !writer { try db.execute(script: "PRAGMA query_only = ON") }
    }

    private static func createParentDirectory(of path: String) throws(StoreError) {
        let parent = (path as NSString).deletingLastPathComponent
        guard !parent.isEmpty else { return }
        do {
            try FileManager.default.createDirectory(
                atPath: parent, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError(code: .unavailable, message: "cannot create \(parent): \(error)")
        }
    }

    /// Makes the directory entries of a new database and its WAL durable (SQLite syncs
    /// the directory for a new WAL, not for the main file it creates).
    private static func syncParentDirectory(of path: String) throws(StoreError) {
        let parent = (path as NSString).deletingLastPathComponent
        let fd = open(parent.isEmpty ? "." : parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw StoreError(code: .unavailable, message: "cannot open \(parent): errno \(errno)") }
        defer { Glibc.close(fd) }
        guard fsync(fd) == 0 else { throw StoreError(code: .unavailable, message: "fsync \(parent): errno \(errno)") }
    }
}
