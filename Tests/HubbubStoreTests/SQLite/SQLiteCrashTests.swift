import Foundation
import Glibc
import Testing

@testable import HubbubStore

/// Durability across a real `kill -9`: every event whose `commit` returned before the
/// kill is in the database when it is opened again, with the same event id, and the
/// room's seqs are still gapless.
///
/// How: the parent test re-executes this test binary (see ``ChildProcess``) to run only
/// ``crashChild()``, which commits batches of 1-4 events through `SQLiteStore` and
/// prints `ACK <seq> <event id>` for each stored event after `commit` returned, with a
/// little think time between batches. The parent's pipe reader sends
/// SIGKILL the moment it has read a few hundred acks, while the child is still
/// committing; then the parent reads the acks still in the pipe and reopens the file.
/// (`kill -9` tests what reached the OS; power loss needs the fsync that
/// `synchronous=FULL` adds, which ``SQLiteSetupTests/durabilitySettings()`` checks.)
@Suite("SQLite crash durability")
struct SQLiteCrashTests {
    static let databaseVariable = "HUBBUB_STORE_CRASH_CHILD_DB"
    static var childDatabase: String? { ProcessInfo.processInfo.environment[databaseVariable] }

    @Test func acknowledgedEventsSurviveKill9() async throws {
        let directory = try TemporaryDirectory(prefix: "hubbub-crash")
        defer { directory.remove() }
        let path = directory.file("hubbub.sqlite3")
        let setup = try await SQLiteStore(path: path)
        try await setup.upsertProject(Project(id: "crash", name: "Crash"))
        await setup.close()

        let target = Int.random(in: 300...400)
        let child = try ChildProcess(
            runningTest: "SQLiteCrashTests/crashChild", environment: [Self.databaseVariable: path],
            stderrPath: directory.file("child.stderr"), killAfter: ("ACK ", target))
        defer { child.kill(SIGKILL) }
        let stderr = { (try? String(contentsOfFile: directory.file("child.stderr"), encoding: .utf8)) ?? "" }
        let killed = try await child.wait(upTo: .seconds(120)) { !$0.process.isRunning }
        try #require(killed, "the child was too slow: \(stderr())")
        let exited = try await child.wait(upTo: .seconds(30)) { !$0.process.isRunning && $0.outputFinished }
        try #require(exited, "the child did not exit after SIGKILL")
        #expect(child.process.terminationReason == .uncaughtSignal)
        #expect(child.process.terminationStatus == SIGKILL)

        var acked: [Int64: String] = [:]
        for line in child.lines where line.hasPrefix("ACK ") {
            let fields = line.split(separator: " ")
            try #require(fields.count == 3, "bad line \(line)")
            acked[try #require(Int64(fields[1]))] = String(fields[2])
        }
        try #require(acked.count >= target, "the child exited early: \(stderr())")

        let store = try await SQLiteStore(path: path)
        let integrity = try await store.read { db throws(StoreError) in
            try db.queryFirst("PRAGMA integrity_check") { row throws(StoreError) in row.text(0) }
        }
        #expect(integrity == "ok")
        let head = try await store.headSeq(room: "crash")
        let events = try await store.events(room: "crash", afterSeq: 0, limit: 1_000_000)
        let stored = Dictionary(events.map { ($0.seq, $0.eventID) }) { first, _ in first }
        let lost = acked.filter { stored[$0.key] != $0.value }
        #expect(lost.isEmpty, "\(lost.count) acknowledged but not stored: seqs \(lost.keys.sorted().prefix(20))")
        #expect(events.map(\.seq) == Array(stride(from: 1, through: head, by: 1)), "gapless 1...head")
        #expect(head >= acked.keys.max() ?? 0)
        print("kill -9 after \(acked.count) acknowledged events; \(head) found on reopen")
        await store.close()
    }

    /// The child's side of ``acknowledgedEventsSurviveKill9()``; skipped in normal runs.
    @Test(.enabled(if: SQLiteCrashTests.childDatabase != nil, "runs only as the crash test's child process"))
    func crashChild() async throws {
        let path = try #require(Self.childDatabase)
        let store = try await SQLiteStore(path: path)
        let parent = getppid()
        let started = ContinuousClock.now
        var n = 0
        // Stops by itself if the parent goes away or never kills it.
        while getppid() == parent && ContinuousClock.now - started < .seconds(120) {
            n += 1
            let batch = (0..<(n % 4 + 1)).map { i in
                Command(
                    room: "crash", actor: .service("crash"), correlationID: "\(n)-\(i)",
                    kind: .custom(type: "custom.tick", payload: #"{"n":\#(n)}"#, notify: []), time: 0)
            }
            var lines = ""
            for outcome in try await store.commit(batch) {
                guard case .stored(let event) = outcome else { throw ContractFailure() }
                lines += "ACK \(event.seq) \(event.eventID)\n"
            }
            // One write(2) per batch, after commit returned: unbuffered, so whatever the
            // parent reads was acknowledged before the kill.
            let written = lines.utf8CString.withUnsafeBufferPointer { buffer in
                Glibc.write(1, buffer.baseAddress, buffer.count - 1)
            }
            if written < 0 { break }
            // Think time, as real clients have: an event acknowledged but not yet written
            // would sit exposed here, where the kill lands.
            try await Task.sleep(for: .microseconds(Int.random(in: 0...1000)))
        }
        await store.close()
    }
}
