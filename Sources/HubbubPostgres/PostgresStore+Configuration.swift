import HubbubSupport

extension PostgresStore {
    /// Tuning of a ``PostgresStore``; the defaults suit one hub node.
    public struct Configuration: Sendable, Hashable {
        /// Connections (each served by its own thread). Reads and batches run
        /// concurrently up to this many; writes to one room serialize on its row lock.
        /// At least 1.
        public var poolSize: Int = 4
        /// The server cancels a statement that runs longer (`statement_timeout`); the
        /// command then fails with ``StoreError/Code/busy``. `.zero` turns it off.
        public var statementTimeout: Duration = .seconds(10)
        /// How long opening a connection may take (`connect_timeout`, whole seconds, at
        /// least 2). A `connect_timeout` in the connection string wins.
        public var connectTimeout: Duration = .seconds(5)
        /// Apply pending migrations when the store opens (otherwise the store refuses
        /// to open a database whose schema is not current: run `hubbub migrate`).
        public var migrateOnOpen: Bool = false
        /// The wait before the second attempt to replace a lost connection (the first
        /// is immediate); it doubles with every failed attempt...
        public var reconnectInitialDelay: Duration = .milliseconds(100)
        /// ...up to this.
        public var reconnectMaximumDelay: Duration = .seconds(5)

        public init() {}

        var connectionParameters: (String) -> ConnectionParameters {
            { url in
                ConnectionParameters(
                    connectionString: url,
                    connectTimeoutSeconds: Int((connectTimeout + .milliseconds(999)).components.seconds),
                    statementTimeoutMillis: Int(statementTimeout / .milliseconds(1)))
            }
        }

        var backoff: ReconnectBackoff {
            ReconnectBackoff(initial: reconnectInitialDelay, maximum: reconnectMaximumDelay)
        }
    }
}
