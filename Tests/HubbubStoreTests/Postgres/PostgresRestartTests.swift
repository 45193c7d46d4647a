import HubbubPostgres
import HubbubStore
import Synchronization
import Testing

/// The server crashes and comes back while commands keep coming.
@Suite("PostgreSQL: restart under load")
struct PostgresRestartTests {
    /// What the load tasks saw.
    final class Tally: Sendable {
        private struct State {
            var acked: [StoredEvent] = []
            var errors: [StoreError] = []
        }
        private let state = Mutex(State())
        let running = Atomic(true)

        func ack(_ events: [StoredEvent]) { state.withLock { $0.acked += events } }
        func fail(_ error: StoreError) { state.withLock { $0.errors.append(error) } }
        var acked: [StoredEvent] { state.withLock { $0.acked } }
        var errors: [StoreError] { state.withLock { $0.errors } }
    }

    /// An immediate shutdown (a crash: no checkpoint) and a restart on the same port and
    /// data directory: commands during the outage fail with `unavailable`, the store
    /// reconnects by itself, and every acknowledged event is there afterwards, with
    /// gapless seqs.
    @Test func restartUnderLoad() async throws {
        let server = try await PostgresServer.start()
        defer { try? server.stop(immediate: true) }
        let database = try await server.createDatabase()
        var configuration = PostgresStore.Configuration.forTests
        configuration.poolSize = 3
        configuration.connectTimeout = .seconds(2)
        configuration.reconnectInitialDelay = .milliseconds(50)
        configuration.reconnectMaximumDelay = .milliseconds(400)
        let store = try await PostgresStore(url: server.url(database: database), configuration: configuration)
        let contract = StoreContract(store: store)
        try await contract.seedProject()

        let tally = Tally()
        let load = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<4 {
                    group.addTask {
                        var n = 0
                        while tally.running.load(ordering: .relaxed) {
                            let batch = (0..<(task % 2 + 1)).map { i in
                                contract.custom(correlation: "t\(task)-\(n)-\(i)")
                            }
                            n += 1
                            let outcomes: [CommandOutcome]
                            do throws(StoreError) {
                                outcomes = try await store.commit(batch)
                            } catch {
                                tally.fail(error)
                                try await Task.sleep(for: .milliseconds(5))
                                continue
                            }
                            tally.ack(try outcomes.map { try StoreContract.event(of: $0) })
                        }
                    }
                }
                try await group.waitForAll()
            }
        }

        try await waitUntil("200 events acknowledged") { tally.acked.count >= 200 }
        try await offloaded { try server.stop(immediate: true) }
        let ackedBeforeCrash = tally.acked.count
        try await waitUntil("commands fail while the server is down") { tally.errors.count >= 20 }
        let ping = await storeError { () throws(StoreError) in try await store.ping() }
        #expect(ping?.code == .unavailable)

        try await offloaded { try server.launch() }
        try await waitUntil("the store reconnects", within: .seconds(30)) {
            tally.acked.count >= ackedBeforeCrash + 200
        }
        try await store.ping()
        tally.running.store(false, ordering: .relaxed)
        try await load.value

        let errors = tally.errors
        #expect(!errors.isEmpty)
        #expect(errors.allSatisfy { $0.code == .unavailable }, "\(Set(errors.map(\.code)))")
        let acked = tally.acked
        let stored = try await store.events(room: "apollo", afterSeq: 0, limit: 100_000)
        #expect(stored.map(\.seq) == Array(1...Int64(stored.count)), "gapless")
        #expect(try await store.headSeq(room: "apollo") == Int64(stored.count))
        let byID = Dictionary(uniqueKeysWithValues: stored.map { ($0.eventID, $0) })
        let lost = acked.filter { byID[$0.eventID] != $0 }
        #expect(lost.isEmpty, "\(lost.count) of \(acked.count) acknowledged events lost")
        await store.close()
    }

    private func waitUntil(
        _ what: String, within timeout: Duration = .seconds(20), _ condition: () -> Bool,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while !condition() {
            guard ContinuousClock.now < deadline else {
                Issue.record("timed out waiting: \(what)", sourceLocation: sourceLocation)
                throw ContractFailure()
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
