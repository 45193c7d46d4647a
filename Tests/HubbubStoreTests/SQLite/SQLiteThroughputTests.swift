import HubbubStore
import Testing

/// One quick measurement of what group commit buys (real benchmarks belong under
/// LoadTests): 1000 single-command commits, each its own transaction and WAL fsync,
/// against one commit of a 1000-command batch. Prints the figures; asserts only
/// correctness, since timings depend on the machine.
@Suite("SQLite throughput")
struct SQLiteThroughputTests {
    @Test func singleCommandCommitsVersusOneBatch() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await SQLiteStore(path: directory.file("hubbub.sqlite3"))
        let contract = StoreContract(store: store)
        try await contract.seedProject()
        try await contract.stored(contract.createCard(id: "c1"))
        let count = 1000
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
        #expect(try await store.headSeq(room: "apollo") == Int64(2 * count + 1))

        func rate(_ duration: Duration) -> Int {
            let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
            return Int(Double(count) / seconds)
        }
        print(
            "SQLiteStore commit throughput (comments with a mention, file in \(directory.path)): "
                + "\(count) single-command commits: \(single) (\(rate(single))/s); "
                + "one \(count)-command batch: \(batched) (\(rate(batched))/s)")
        await store.close()
    }
}
