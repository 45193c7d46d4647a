extension SQLiteStore {
    /// Tuning of an ``SQLiteStore``; the defaults suit the single-node hub.
    public struct Configuration: Sendable, Hashable {
        /// How long a write waits for a lock held by another connection (another process
        /// on the same file, e.g. `hubbub admin`) before failing with
        /// ``StoreError/Code/busy``.
        public var busyTimeoutMillis: Int = 5000
        /// Threads (each with its own read connection) serving reads; WAL lets them read
        /// while the writer writes. At least 1. (In-memory stores read on the writer.)
        public var readerThreads: Int = 2
        /// The WAL is truncated back to this size after a checkpoint.
        public var journalSizeLimitBytes: Int = 64 << 20
        /// Pages in the WAL that trigger an automatic checkpoint.
        public var walAutocheckpointPages: Int = 1000

        public init() {}
    }
}
