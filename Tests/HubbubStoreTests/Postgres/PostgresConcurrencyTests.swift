import HubbubPostgres
import HubbubStore
import Testing

/// Several hub nodes (here: several `PostgresStore`s, each with its own pool) on one
/// database.
@Suite("PostgreSQL: several nodes")
struct PostgresConcurrencyTests {
    /// Two nodes commit into one room at once: the seqs are exactly 1...n, each event is
    /// stored once, and a batch's events are consecutive.
    @Test func twoNodesWritingOneRoomGetGaplessSeqs() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.createDatabase()
        let url = server.url(database: database)
        var configuration = PostgresStore.Configuration.forTests
        configuration.poolSize = 3
        let nodes = [
            try await PostgresStore(url: url, configuration: configuration),
            try await PostgresStore(url: url, configuration: configuration),
        ]
        let contract = StoreContract(store: nodes[0])
        try await contract.seedProject()
        try await contract.seedProject("other")

        let perTask = 40
        let tasksPerNode = 3
        let batches = try await withThrowingTaskGroup(of: [[StoredEvent]].self) { group in
            for (node, store) in nodes.enumerated() {
                for task in 0..<tasksPerNode {
                    group.addTask {
                        var batches: [[StoredEvent]] = []
                        var sent = 0
                        while sent < perTask {
                            let size = min(sent % 3 + 1, perTask - sent)
                            // Batches also touch another room, in varying order (lock ordering).
                            var batch = (sent..<sent + size).map { n in
                                contract.custom(correlation: "n\(node)-t\(task)-\(n)", time: StoreContract.t0 + Int64(n))
                            }
                            let other = contract.custom("other", correlation: "o\(node)-t\(task)-\(sent)")
                            if sent % 2 == 0 { batch.append(other) } else { batch.insert(other, at: 0) }
                            let outcomes = try await store.commit(batch)
                            let events = try outcomes.map { try StoreContract.event(of: $0) }
                            batches.append(events.filter { $0.room == "apollo" })
                            sent += size
                        }
                        return batches
                    }
                }
            }
            var all: [[StoredEvent]] = []
            for try await result in group { all += result }
            return all
        }
        let total = Int64(nodes.count * tasksPerNode * perTask)
        #expect(batches.flatMap { $0.map(\.seq) }.sorted() == Array(1...total))
        for batch in batches where batch.count > 1 {
            #expect(batch.map(\.seq) == Array(batch[0].seq..<batch[0].seq + Int64(batch.count)))
        }
        let stored = try await nodes[1].events(room: "apollo", afterSeq: 0, limit: 10_000)
        #expect(stored == batches.flatMap { $0 }.sorted { $0.seq < $1.seq })
        let other = try await nodes[0].events(room: "other", afterSeq: 0, limit: 10_000).map(\.seq)
        #expect(other == Array(1...Int64(other.count)))
        #expect(other.count == batches.count)

        for node in nodes { await node.close() }
        await server.dropDatabase(database)
    }

    /// Nodes starting at once migrate an empty database once; a store that does not
    /// migrate refuses a database whose schema is not current.
    @Test func concurrentMigrationsApplyOnce() async throws {
        let server = try await PostgresServer.shared()
        let database = try await server.createDatabase()
        let url = server.url(database: database)

        var plain = PostgresStore.Configuration.forTests
        plain.migrateOnOpen = false
        let refused = await storeError { () throws(StoreError) in
            _ = try await PostgresStore(url: url, configuration: plain)
        }
        #expect(refused?.code == .schemaMismatch)

        let applied = try await withThrowingTaskGroup(of: [Int].self) { group in
            for index in 0..<6 {
                group.addTask {
                    if index % 2 == 0 { return try await PostgresStore.migrate(url: url) }
                    let store = try await PostgresStore(url: url, configuration: .forTests)
                    await store.close()
                    return store.migrationsAppliedAtOpen
                }
            }
            var all: [[Int]] = []
            for try await versions in group { all.append(versions) }
            return all
        }
        #expect(applied.flatMap { $0 }.sorted() == Array(1...PostgresStore.schemaVersion), "each migration applied exactly once")
        let recorded = try await server.rows("SELECT version, name FROM schema_migrations ORDER BY version", database: database)
        #expect(recorded == [["1", "initial schema"], ["2", "outbox claims"]])
        #expect(try await PostgresStore.migrate(url: url) == [])

        let store = try await PostgresStore(url: url, configuration: plain)
        try await store.ping()
        await store.close()

        // A database migrated by a newer hubbub is refused, not "fixed".
        try await server.execute(
            "INSERT INTO schema_migrations VALUES (99, 'from the future', 0)", database: database)
        let newer = await storeError { () throws(StoreError) in _ = try await PostgresStore.migrate(url: url) }
        #expect(newer?.code == .schemaMismatch)
        await server.dropDatabase(database)
    }

    /// A database that cannot be reached fails the open with `unavailable`.
    @Test func unreachableDatabase() async throws {
        var configuration = PostgresStore.Configuration()
        configuration.connectTimeout = .seconds(2)
        let error = await storeError { () throws(StoreError) in
            _ = try await PostgresStore(url: "postgresql://nobody@127.0.0.1:1/none", configuration: configuration)
        }
        #expect(error?.code == .unavailable)
        #expect(error?.isRetryable == true)
    }
}
