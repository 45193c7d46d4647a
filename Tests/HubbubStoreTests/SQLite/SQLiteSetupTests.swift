import Foundation
import Testing

@testable import HubbubStore

@Suite("SQLite setup")
struct SQLiteSetupTests {
    @Test func durabilitySettings() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await SQLiteStore(path: directory.file("hubbub.sqlite3"))
        let writer = try await store.write { db throws(StoreError) in
            try ["journal_mode", "synchronous", "foreign_keys", "busy_timeout", "query_only"].map {
                pragma throws(StoreError) in
                try db.queryFirst("PRAGMA \(pragma)") { row throws(StoreError) in row.text(0) } ?? "?"
            }
        }
        #expect(writer == ["wal", "2", "1", "5000", "0"])  // synchronous 2 = FULL
        let reader = try await store.read { db throws(StoreError) in
            try ["journal_mode", "synchronous", "query_only"].map { pragma throws(StoreError) in
                try db.queryFirst("PRAGMA \(pragma)") { row throws(StoreError) in row.text(0) } ?? "?"
            }
        }
        #expect(reader == ["wal", "2", "1"])
        await store.close()
    }

    /// SQLite work runs on the store's own named threads, never on the caller's.
    @Test func workRunsOnDedicatedThreads() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let store = try await SQLiteStore(path: directory.file("hubbub.sqlite3"))
        let writerThread = try await store.write { _ throws(StoreError) in Self.threadName() }
        #expect(writerThread == "sqlite-writer")
        var readerThreads = Set<String>()
        for _ in 0..<20 {
            readerThreads.insert(try await store.read { _ throws(StoreError) in Self.threadName() })
        }
        #expect(readerThreads.allSatisfy { $0.hasPrefix("sqlite-read") }, "\(readerThreads)")
        await store.close()
    }

    /// The OS name of the calling thread.
    static func threadName() -> String {
        let comm = (try? String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8)) ?? "?"
        return comm.trimmingCharacters(in: .newlines)
    }

    @Test func aFileThatIsNotADatabaseIsRefused() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("garbage.sqlite3")
        try Data(repeating: 0x42, count: 8192).write(to: URL(fileURLWithPath: path))
        let error = await storeError { () throws(StoreError) in _ = try await SQLiteStore(path: path) }
        #expect(error?.code == .corrupt)
    }

    /// Two stores on one file (the server and `hubbub admin`, say) still give gapless seqs:
    /// the head is read under the write lock, and a writer waits for the other's lock.
    @Test func twoStoresOnOneFileKeepSeqsGapless() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let path = directory.file("hubbub.sqlite3")
        let a = try await SQLiteStore(path: path)
        let b = try await SQLiteStore(path: path)
        try await a.upsertProject(Project(id: "p", name: "P"))
        let seqs = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for (index, store) in [a, b, a, b].enumerated() {
                group.addTask {
                    var seqs: [Int64] = []
                    for n in 0..<25 {
                        let command = Command(
                            room: "p", actor: .service("s\(index)"), correlationID: "\(index)-\(n)",
                            kind: .custom(type: "custom.t", payload: "{}", notify: []), time: 0)
                        for outcome in try await store.commit([command]) {
                            guard case .stored(let event) = outcome else { throw ContractFailure() }
                            seqs.append(event.seq)
                        }
                    }
                    return seqs
                }
            }
            var all: [Int64] = []
            for try await part in group { all += part }
            return all
        }
        #expect(seqs.sorted() == Array(1...100))
        #expect(try await b.headSeq(room: "p") == 100)
        await a.close()
        await b.close()
    }

    /// A command that fails after it wrote (here: a trigger refusing its outbox row) is
    /// rolled back to its savepoint: its event, comment and seq are gone, the rest of the
    /// batch is stored with gapless seqs.
    @Test func savepointRollsBackPartialWrites() async throws {
        let store = try await SQLiteStore.inMemory()
        let contract = StoreContract(store: store)
        try await contract.seedProject()
        try await store.upsertMember(
            Member(projectID: "apollo", userID: "u_poison", displayName: "P", email: "p@x", username: "poison"))
        try await contract.stored(contract.createCard(id: "c1"))
        try await store.write { db throws(StoreError) in
            try db.execute(
                script: """
                    CREATE TEMP TRIGGER poison BEFORE INSERT ON outbox WHEN NEW.user_id = 'u_poison'
                    BEGIN SELECT RAISE(ABORT, 'poisoned'); END;
                    """)
        }
        let outcomes = try await store.commit([
            contract.comment(card: "c1", text: "fine", mentions: ["u_bob"]),
            contract.comment(card: "c1", text: "poisoned", mentions: ["u_bob"], notify: ["u_bob", "u_poison"]),
            contract.comment(card: "c1", text: "fine too", notify: ["u_bob"]),
        ])
        guard case .rejected(let error) = outcomes[1] else {
            Issue.record("expected the poisoned command to be rejected, got \(outcomes[1])")
            return
        }
        #expect(error.code == .constraint)
        let seqs = try outcomes.enumerated().filter { $0.offset != 1 }.map { try StoreContract.event(of: $0.element).seq }
        #expect(seqs == [2, 3])
        let counts = try await store.read { db throws(StoreError) in
            try ["comments", "mentions", "outbox", "events"].map { table throws(StoreError) in
                try db.queryFirst("SELECT count(*) FROM \(table)") { row throws(StoreError) in row.int(0) } ?? -1
            }
        }
        #expect(counts == [2, 1, 1, 3])
        await store.close()
    }
}
