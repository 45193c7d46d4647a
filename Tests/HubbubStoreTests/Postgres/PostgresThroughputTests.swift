import HubbubPostgres
import HubbubStore
import Testing

/// The PostgreSQL twin of `SQLiteThroughputTests`: 500 single-command commits against
/// one 500-command batch (comments with a mention). Prints the figures; asserts only
/// correctness.
@Suite("PostgreSQL throughput")
struct PostgresThroughputTests {
    @Test func singleCommandCommitsVersusOneBatch() async throws {
        let opened = try await StoreFactory.postgres.open()
        let store = opened.store
        let contract = StoreContract(store: store)
        try await contract.seedProject()
        try await contract.stored(contract.createCard(id: "c1"))
        let count = 500
        func command(_ n: Int) -> Command {
            contract.comment(card: "c1", text: "comment number \(n) with a little text @bob", mentions: ["u_bob"])
        }

        let clock = ContinuousClock()
        let single = try await clock.measure {
            for n in 0..<count {
                _ = try StoreContract.event(of: try await contract.commitOne(command(n)))
            }
        }
        let batch = (0..<count).map { command(count + $0) }
        var outcomes: [CommandOutcome] = []
        let batched = try await clock.measure {
            outcomes = try await store.commit(batch)
        }
        let seqs = try outcomes.map { try StoreContract.event(of: $0).seq }
        #expect(seqs == Array(Int64(count + 2)...Int64(2 * count + 1)))

        func rate(_ duration: Duration) -> Int {
            let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
            return Int(Double(count) / seconds)
        }
        print(
            "PostgresStore commit throughput (comments with a mention, loopback, fsync=on): "
                + "\(count) single-command commits: \(single) (\(rate(single))/s); "
                + "one \(count)-command batch: \(batched) (\(rate(batched))/s)")
        await opened.cleanup()
    }
}
