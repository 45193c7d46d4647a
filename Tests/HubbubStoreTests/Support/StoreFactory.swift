import HubbubStore
import Testing

/// A way to get a fresh, empty ``Store`` for one contract test. Every store
/// implementation adds itself to ``all``; the PostgreSQL store will add a factory that
/// creates a throw-away schema (enabled when a test database URL is configured).
struct StoreFactory: Sendable, CustomTestStringConvertible {
    let name: String
    let open: @Sendable () async throws -> OpenedStore

    var testDescription: String { name }

    /// The implementations the contract runs against.
    static let all: [StoreFactory] = [.sqliteFile, .sqliteInMemory, .postgres]

    /// Runs `body` with a fresh store, then closes it and removes what it left behind.
    func withStore(_ body: (any Store) async throws -> Void) async throws {
        let opened = try await open()
        do {
            try await body(opened.store)
        } catch {
            await opened.cleanup()
            throw error
        }
        await opened.cleanup()
    }
}

struct OpenedStore: Sendable {
    let store: any Store
    let cleanup: @Sendable () async -> Void
}

extension StoreFactory {
    /// The embedded store on a real file (WAL, fsync, separate reader connections).
    static let sqliteFile = StoreFactory(name: "sqlite-file") {
        let directory = try TemporaryDirectory()
        let store = try await SQLiteStore(path: directory.file("hubbub.sqlite3"))
        return OpenedStore(store: store) {
            await store.close()
            directory.remove()
        }
    }

    /// The embedded store in memory (reads on the writer thread).
    static let sqliteInMemory = StoreFactory(name: "sqlite-memory") {
        let store = try await SQLiteStore.inMemory()
        return OpenedStore(store: store) { await store.close() }
    }
}
