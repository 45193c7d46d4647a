import HubbubStore
import Logging

/// The production ``Store``: PostgreSQL through libpq, shared by any number of hub
/// nodes.
///
/// Threading: every libpq call runs on the store's own threads (``PostgresPool``:
/// `poolSize` threads, one connection each), never on the caller's; callers suspend on
/// a continuation until their job is done. A cancelled task still waits for its job.
///
/// Seq allocation and concurrency: see ``PostgresCommandWriter``: a batch locks its
/// rooms' `rooms` rows, so several nodes writing one room get gapless, unique seqs.
///
/// Durability: ``commit(_:)`` returns after PostgreSQL acknowledged the `COMMIT`
/// (`synchronous_commit` is forced on if the server's default is off).
///
/// Failure: a lost connection fails the call that was using it with
/// ``StoreError/Code/unavailable`` (for a `commit`, its outcome is then unknown: a
/// retry with the same request key is safe); the pool replaces the connection with
/// exponential backoff and, meanwhile, fails calls at once with `unavailable`.
/// ``ping()`` succeeds only when the database answers.
public final class PostgresStore: Store {
    /// Migration versions this open applied (empty when the schema was current or
    /// `migrateOnOpen` was off).
    public let migrationsAppliedAtOpen: [Int]
    private let pool: PostgresPool

    /// Connects the pool to the database at `url` (a libpq connection URL or key/value
    /// string: `postgres://user:pass@host:5432/db?sslmode=verify-full`), then checks the
    /// schema is current, or migrates it when `configuration.migrateOnOpen` is set.
    ///
    /// Throws ``StoreError/Code/unavailable`` if the database cannot be reached and
    /// ``StoreError/Code/schemaMismatch`` if its schema is not this binary's.
    public init(
        url: String, configuration: Configuration = Configuration(),
        logger: Logger = Logger(label: "hubbub.postgres")
    ) async throws(StoreError) {
        let pool = try await PostgresPool.start(
            size: configuration.poolSize, parameters: configuration.connectionParameters(url),
            backoff: configuration.backoff, logger: logger)
        do throws(StoreError) {
            let migrate = configuration.migrateOnOpen
            migrationsAppliedAtOpen = try await pool.run { db throws(StoreError) in
                let migrator = PostgresMigrator()
                if migrate { return try migrator.migrate(db, now: WallClock.nowMillis()) }
                try migrator.requireCurrent(db)
                return []
            }
        } catch {
            await pool.close()
            throw error
        }
        if !migrationsAppliedAtOpen.isEmpty {
            logger.info("PostgreSQL schema migrated", metadata: ["versions": "\(migrationsAppliedAtOpen)"])
        }
        self.pool = pool
    }

    /// Applies the pending migrations to the database at `url` (safe while other nodes
    /// do the same) and returns the versions applied now (empty if it was current).
    public static func migrate(
        url: String, configuration: Configuration = Configuration()
    ) async throws(StoreError) -> [Int] {
        var single = configuration
        single.poolSize = 1
        single.migrateOnOpen = true
        let store = try await PostgresStore(url: url, configuration: single)
        await store.close()
        return store.migrationsAppliedAtOpen
    }

    /// The schema version this binary's migrations lead to.
    public static var schemaVersion: Int { PostgresSchema.migrations.last?.version ?? 0 }

    public func close() async {
        await pool.close()
    }

    public func ping() async throws(StoreError) {
        try await run { db throws(StoreError) in _ = try db.query("SELECT 1") }
    }

    /// Runs `body` on a pool thread with its connection.
    func run<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) throws(StoreError) -> T)
        async throws(StoreError) -> T
    {
        try await pool.run(body)
    }

    /// Runs `body` inside `BEGIN` ... `COMMIT` on one connection (the pool rolls back
    /// whatever a failure leaves open).
    func transaction<T: Sendable>(
        _ begin: String = "BEGIN", _ body: @escaping @Sendable (PostgresConnection) throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        try await pool.run { db throws(StoreError) in
            try db.execute(script: begin)
            let value = try body(db)
            let committed = try db.execute(script: "COMMIT")
            guard committed.commandStatus == "COMMIT" else {
                throw StoreError(code: .internal, message: "the transaction was rolled back at COMMIT")
            }
            return value
        }
    }
}
