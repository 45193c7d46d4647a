import HubbubStore
import Testing

extension StoreContract {
    /// A batch is one transaction but each command stands alone: failing commands
    /// change nothing (no seq, no rows, no outbox), the others are stored with
    /// consecutive seqs in batch order.
    func failingCommandsDoNotBreakTheBatch() async throws {
        try await seedProject()
        try await stored(createCard(id: "c1"))
        try await stored(moveCard(id: "c1", to: "backlog", at: 0, expecting: 1))
        let before = try #require(try await store.board(projectID: "apollo"))
        let current = try await card("c1")

        let batch: [Command] = [
            comment(card: "c1", text: "ok 1", notify: ["u_bob"]),
            comment(card: "missing", text: "lost", notify: ["u_carol"]),
            createCard(id: "c2", column: "missing"),
            moveCard(id: "c1", to: "doing", at: 0, expecting: 1),
            createCard(id: "c1", column: "done"),
            custom(payload: "{broken", notify: ["u_carol"]),
            custom(type: "custom.deploy.done", notify: ["u_carol"], correlation: "ok-2"),
            comment("ghost", card: "c1", notify: ["u_carol"]),
            createCard(id: "c3", column: "doing"),
        ]
        let outcomes = try await store.commit(batch)
        try #require(outcomes.count == batch.count)
        let first = try Self.event(of: outcomes[0])
        #expect(outcomes[1] == .notFound(.card("missing")))
        #expect(outcomes[2] == .notFound(.column("missing")))
        #expect(outcomes[3] == .conflict(current: current))
        if case .rejected(let error) = outcomes[4] {
            #expect(error.code == .alreadyExists)
        } else {
            Issue.record("expected .rejected, got \(outcomes[4])")
        }
        if case .rejected(let error) = outcomes[5] {
            #expect(error.code == .invalidArgument)
        } else {
            Issue.record("expected .rejected, got \(outcomes[5])")
        }
        let second = try Self.event(of: outcomes[6])
        #expect(outcomes[7] == .notFound(.project("ghost")))
        let third = try Self.event(of: outcomes[8])
        #expect([first.seq, second.seq, third.seq] == [3, 4, 5])

        #expect(try await store.headSeq(room: "apollo") == 5)
        #expect(try await store.events(room: "apollo", afterSeq: 2, limit: 10) == [first, second, third])
        var expected = before
        expected.headSeq = 5
        expected.columns[1].cards = [try await card("c3")]
        #expect(try await store.board(projectID: "apollo") == expected)
        let pending = try await store.pendingNotifications(limit: 10)
        #expect(pending.map(\.userID) == ["u_bob", "u_carol"])
        #expect(pending.map(\.eventID) == [first.eventID, second.eventID])
    }

    /// A comment's notifications are written with it: one pending row per distinct
    /// member asked for, carrying what the mailer needs.
    func outboxWrittenWithTheComment() async throws {
        try await seedProject()
        try await stored(createCard(id: "card_12", title: "Launch checklist"))
        let long = String(repeating: "é", count: 150) + String(repeating: "x", count: 150)
        let event = try await stored(
            comment(
                card: "card_12", text: long, mentions: ["u_bob", "u_carol"],
                notify: ["u_bob", "u_carol", "u_bob", "u_nobody"], time: Self.t0 + 7))

        let pending = try await store.pendingNotifications(limit: 10)
        #expect(pending.map(\.userID) == ["u_bob", "u_carol"])
        #expect(pending.map(\.email) == ["bob@example.com", "carol.chen@example.com"])
        #expect(pending.allSatisfy {
            $0.room == "apollo" && $0.kind == "mention" && $0.eventID == event.eventID && $0.seq == event.seq
                && $0.state == .pending && $0.attempts == 0 && $0.createdAt == Self.t0 + 7
        })
        #expect(pending[0].id < pending[1].id)

        let body = try JSON.object(pending[0].payload)
        #expect(body.object("project")?.string("id") == "apollo")
        #expect(body.object("project")?.string("name") == "Apollo launch")
        #expect(body.object("card")?.string("id") == "card_12")
        #expect(body.object("card")?.string("title") == "Launch checklist")
        let commentID = try JSON.object(event.payload).string("comment_id")
        #expect(body.object("comment")?.string("id") == commentID)
        let excerpt = try #require(body.object("comment")?.string("excerpt"))
        #expect(excerpt == String(repeating: "é", count: 150) + String(repeating: "x", count: 50) + "\u{2026}")
        #expect(body.object("actor")?.string("user_id") == "u_alice")
        #expect(body.object("actor")?.string("name") == "Alice Adams")
        #expect(body.string("comment_event_id") == event.eventID)
        #expect(body.int("comment_seq") == Int(event.seq))

        // A comment that fails writes no notification.
        #expect(try await commitOne(comment(card: "gone", notify: ["u_carol"])) == .notFound(.card("gone")))
        #expect(try await store.pendingNotifications(limit: 10).count == 2)
        // A comment without notifications writes none.
        try await stored(comment(card: "card_12", mentions: ["u_bob"]))
        #expect(try await store.pendingNotifications(limit: 10).count == 2)
    }

    /// The administrative side: oldest pending first, then marked sent or dead.
    func outboxLifecycle() async throws {
        try await seedProject()
        try await stored(createCard(id: "c1"))
        try await stored(comment(card: "c1", notify: ["u_bob"]))
        try await stored(custom(type: "custom.alert", payload: #"{"level":"high"}"#, notify: ["u_carol", "u_alice"]))
        #expect(try await store.pendingNotifications(limit: 0) == [])
        let all = try await store.pendingNotifications(limit: 10)
        #expect(all.map(\.kind) == ["mention", "custom.alert", "custom.alert"])
        #expect(all.map(\.userID) == ["u_bob", "u_carol", "u_alice"])
        let custom = try JSON.object(all[1].payload)
        #expect(custom.string("type") == "custom.alert")
        #expect(custom.object("payload")?.string("level") == "high")
        #expect(custom.object("actor")?.string("service") == "ci")
        #expect(custom.int("seq") == 3)
        #expect(try await store.pendingNotifications(limit: 2) == Array(all.prefix(2)))

        try await store.markNotifications([all[0].id, 987_654], state: .sent)
        try await store.markNotifications([], state: .sent)
        #expect(try await store.pendingNotifications(limit: 10) == Array(all.dropFirst()))
        try await store.markNotifications([all[1].id], state: .pending)
        var retried = all[1]
        retried.attempts = 1
        #expect(try await store.pendingNotifications(limit: 10) == [retried, all[2]])
        try await store.markNotifications([all[1].id, all[2].id], state: .dead)
        #expect(try await store.pendingNotifications(limit: 10) == [])

        try await stored(comment(card: "c1", notify: ["u_carol"]))
        let next = try await store.pendingNotifications(limit: 10)
        #expect(next.count == 1)
        #expect(next[0].id > all[2].id, "ids are never reused")
    }
}
