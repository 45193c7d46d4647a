import HubbubStore
import Logging
import Synchronization
import Testing

@testable import HubbubMail

/// The service against a real (in-memory) store and a scripted transport.
@Suite("Mailer")
struct MailerTests {
    /// Delivers or fails as scripted; records what it was given.
    final class ScriptedTransport: MailTransport {
        let name = "scripted"
        private let state = Mutex<(script: [MailDeliveryError?], sent: [MailMessage])>(([], []))

        init(_ script: [MailDeliveryError?] = []) {
            state.withLock { $0.script = script }
        }

        var sent: [MailMessage] { state.withLock { $0.sent } }

        func deliver(_ message: MailMessage, until deadline: Deadline) async throws(MailDeliveryError) {
            let failure: MailDeliveryError? = state.withLock { state in
                let next = state.script.isEmpty ? nil : state.script.removeFirst()
                if next == nil { state.sent.append(message) }
                return next
            }
            if let failure { throw failure }
        }

        func shutdown() async {}
    }

    /// A movable clock (unix ms).
    final class TestClock: Sendable {
        private let value = Mutex<Int64>(DigestComposerTests.t0)
        var now: Int64 { value.withLock { $0 } }
        func advance(_ ms: Int64) { value.withLock { $0 += ms } }
    }

    static func seed(_ store: any Store, mentions: [(user: String, time: Int64)]) async throws {
        try await store.upsertProject(Project(id: "p", name: "Apollo launch"))
        for (user, name) in [("u_alice", "alice"), ("u_bob", "bob"), ("u_carol", "carol")] {
            try await store.upsertMember(
                Member(projectID: "p", userID: user, displayName: name, email: "\(name)@example.com", username: name))
        }
        try await store.upsertColumn(Column(projectID: "p", id: "todo", name: "Todo", position: 0))
        _ = try await store.commit([
            Command(
                room: "p", actor: .user(id: "u_alice", name: "Alice"), correlationID: "c",
                kind: .createCard(cardID: "card_1", columnID: "todo", position: 0, title: "Launch"),
                time: DigestComposerTests.t0)
        ])
        for (index, mention) in mentions.enumerated() {
            _ = try await store.commit([
                Command(
                    room: "p", actor: .user(id: "u_alice", name: "Alice"), correlationID: "m\(index)",
                    kind: .comment(cardID: "card_1", text: "hi \(index)", mentions: [mention.user], notifyOffline: [mention.user]),
                    time: mention.time)
            ])
        }
    }

    static func mailer(_ store: any Store, _ transport: any MailTransport, _ clock: TestClock, maxAttempts: Int = 3)
        -> Mailer
    {
        var configuration = MailerConfiguration(owner: "test-mailer")
        configuration.grace = 60_000
        configuration.lease = 30_000
        configuration.retry = RetryPolicy(maxAttempts: maxAttempts, initialBackoff: 1000, maxBackoff: 10_000)
        return Mailer(
            store: store, transport: transport, composer: DigestComposerTests.composer, configuration: configuration,
            logger: Logger(label: "test"), clock: { clock.now })
    }

    @Test func sendsOneDigestPerRecipientAfterTheGraceWindow() async throws {
        let store = try await SQLiteStore.inMemory()
        let t0 = DigestComposerTests.t0
        try await Self.seed(store, mentions: [("u_bob", t0), ("u_bob", t0 + 1000), ("u_carol", t0 + 2000)])
        let transport = ScriptedTransport()
        let clock = TestClock()
        let mailer = Self.mailer(store, transport, clock)

        #expect(await mailer.claimAndSend() == 0, "inside the grace window")
        clock.advance(60_000)
        #expect(await mailer.claimAndSend() == 1)
        #expect(transport.sent.map(\.to) == ["bob@example.com"])
        clock.advance(2000)
        #expect(await mailer.claimAndSend() == 1)
        #expect(transport.sent.map(\.to) == ["bob@example.com", "carol@example.com"])
        #expect(try await store.outboxCounts() == OutboxCounts(sent: 3))
        let metrics = mailer.metrics
        #expect(metrics.digestsSent == 2 && metrics.notificationsSent == 3 && metrics.digestsRetried == 0)
        await store.close()
    }

    @Test func retriesWithBackoffThenDeadLetters() async throws {
        let store = try await SQLiteStore.inMemory()
        let t0 = DigestComposerTests.t0
        try await Self.seed(store, mentions: [("u_bob", t0)])
        let transport = ScriptedTransport([.transient("451 later"), .transient("451 later"), .transient("451 later")])
        let clock = TestClock()
        let mailer = Self.mailer(store, transport, clock)
        clock.advance(60_000)
        #expect(await mailer.claimAndSend() == 1)
        var row = try #require(try await store.pendingNotifications(limit: 1).first)
        #expect(row.attempts == 1 && row.lastError == "451 later")
        #expect((clock.now + 800...clock.now + 1000).contains(row.notBefore), "1 s backoff, less jitter")
        #expect(await mailer.claimAndSend() == 0, "backing off")
        clock.advance(1000)
        #expect(await mailer.claimAndSend() == 1)
        row = try #require(try await store.pendingNotifications(limit: 1).first)
        #expect(row.attempts == 2)
        clock.advance(2000)
        #expect(await mailer.claimAndSend() == 1)
        #expect(try await store.outboxCounts() == OutboxCounts(dead: 1))
        #expect(transport.sent.isEmpty)
        let metrics = mailer.metrics
        #expect(metrics.digestsRetried == 2 && metrics.digestsDeadLettered == 1 && metrics.notificationsDeadLettered == 1)
        await store.close()
    }

    @Test func permanentFailureDeadLettersAtOnce() async throws {
        let store = try await SQLiteStore.inMemory()
        try await Self.seed(store, mentions: [("u_bob", DigestComposerTests.t0)])
        let transport = ScriptedTransport([.permanent("550 no such user")])
        let clock = TestClock()
        let mailer = Self.mailer(store, transport, clock)
        clock.advance(60_000)
        #expect(await mailer.claimAndSend() == 1)
        #expect(try await store.outboxCounts() == OutboxCounts(dead: 1))
        await store.close()
    }

    @Test func cancelledRunReleasesUnsentClaims() async throws {
        let store = try await SQLiteStore.inMemory()
        let t0 = DigestComposerTests.t0
        try await Self.seed(store, mentions: [("u_bob", t0), ("u_carol", t0)])
        let clock = TestClock()
        clock.advance(60_000)
        let mailer = Self.mailer(store, ScriptedTransport(), clock)
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }  // cancelled before the claim: it releases everything
            return await mailer.claimAndSend()
        }
        #expect(await task.value == 2)
        #expect(try await store.outboxCounts() == OutboxCounts(pending: 2, oldestWaitingCreatedAt: t0))
        #expect(mailer.metrics.digestsReleased == 2)

        // run() returns promptly when cancelled.
        let running = Task { await mailer.run() }
        running.cancel()
        await running.value
        await store.close()
    }
}
