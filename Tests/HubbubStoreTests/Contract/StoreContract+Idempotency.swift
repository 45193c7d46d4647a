import HubbubStore
import Testing

extension StoreContract {
    /// A retried command (same scope, key and content) applies once: the retry gets the
    /// original event back and adds nothing.
    func idempotentRetry() async throws {
        try await seedProject()
        try await stored(createCard(id: "c1"))
        let first = try await stored(comment(card: "c1", text: "once", key: "cmd-1", notify: ["u_bob"]))
        #expect(first.correlationID == "cmd-1")

        // The retry comes later (other time): still the original event, time included.
        let retry = comment(card: "c1", text: "once", key: "cmd-1", notify: ["u_bob"], time: Self.t0 + 60_000)
        #expect(try await commitOne(retry) == .duplicate(first))
        #expect(try await store.commit([retry, retry]) == [.duplicate(first), .duplicate(first)])
        #expect(try await store.headSeq(room: "apollo") == 2)
        #expect(try await store.events(room: "apollo", afterSeq: 0, limit: 10).count == 2)
        #expect(try await store.pendingNotifications(limit: 10).count == 1, "no second notification")

        // Inside one batch, the second use of a new key is already a duplicate.
        let fresh = createCard(id: "c2", key: "cmd-2")
        let outcomes = try await store.commit([fresh, fresh])
        let created = try Self.event(of: outcomes[0])
        #expect(outcomes[1] == .duplicate(created))
        #expect(try await layout()["backlog"] == ["c2", "c1"])

        // Keys are per scope: another user may use the same key.
        let bobs = comment(card: "c1", text: "once", actor: Self.bob, key: "cmd-1")
        #expect(try await stored(bobs).seq == 4)
    }

    /// A key used again for a different command is refused and changes nothing.
    func reusedKeyIsRefused() async throws {
        try await seedProject()
        try await seedProject("other")
        try await stored(createCard(id: "c1"))
        try await stored(createCard("other", id: "c1"))
        try await stored(comment(card: "c1", text: "original", key: "k"))
        let variants = [
            comment(card: "c1", text: "edited", key: "k"),
            comment("other", card: "c1", text: "original", key: "k"),
            comment(card: "c2", text: "original", key: "k"),
            createCard(id: "c9", key: "k"),
            custom(),
        ].map { command in
            var command = command
            command.requestKey = IdempotencyKey(scope: "u_alice", key: "k")
            return command
        }
        for variant in variants {
            #expect(try await commitOne(variant) == .keyReused)
        }
        #expect(try await store.headSeq(room: "apollo") == 2)

        // What the hub derives (mentions, who is offline) may differ on a retry: still the same command.
        let rederived = comment(card: "c1", text: "original", key: "k", mentions: ["u_bob"], notify: ["u_carol"])
        guard case .duplicate = try await commitOne(rederived) else {
            Issue.record("a retry with other derived mentions/notifications must be a duplicate")
            return
        }
        #expect(try await store.pendingNotifications(limit: 10) == [])
        #expect(try await store.headSeq(room: "other") == 1)
        #expect(try await layout()["backlog"] == ["c1"])
    }

    /// Failed commands are not remembered: the same key and command run anew later.
    func failuresAreNotRemembered() async throws {
        try await seedProject()
        let early = comment(card: "late", text: "hi", key: "k-late")
        #expect(try await commitOne(early) == .notFound(.card("late")))
        try await stored(createCard(id: "late"))
        let event = try await stored(early)
        #expect(event.seq == 2)

        let move = moveCard(id: "late", to: "doing", at: 0, expecting: 7, key: "k-move")
        guard case .conflict = try await commitOne(move) else {
            Issue.record("expected a conflict")
            return
        }
        let fixed = moveCard(id: "late", to: "doing", at: 0, expecting: 1, key: "k-move")
        #expect(try await stored(fixed).seq == 3, "a corrected command under the same key runs")
    }

    /// The reply of a stored command survives the pruning of its event.
    func duplicateAfterPruning() async throws {
        try await seedProject()
        try await stored(createCard(id: "c1"))
        let first = try await stored(comment(card: "c1", key: "k1"))
        try await store.pruneEvents(room: "apollo", keepingLast: 0)
        #expect(try await commitOne(comment(card: "c1", key: "k1", time: Self.t0 + 1)) == .duplicate(first))
    }

    /// Purging forgets the keys of commands older than the cutoff (and only those).
    func idempotencyPurge() async throws {
        try await seedProject()
        try await stored(createCard(id: "c1"))
        let old = try await stored(comment(card: "c1", key: "old", time: Self.t0))
        let recent = try await stored(comment(card: "c1", key: "recent", time: Self.t0 + 10_000))

        try await store.purgeIdempotencyKeys(olderThan: Self.t0)
        #expect(try await commitOne(comment(card: "c1", key: "old", time: Self.t0 + 20_000)) == .duplicate(old))

        try await store.purgeIdempotencyKeys(olderThan: Self.t0 + 1)
        let again = try await stored(comment(card: "c1", key: "old", time: Self.t0 + 20_000))
        #expect(again.seq == 4)
        #expect(again.eventID != old.eventID)
        #expect(try await commitOne(comment(card: "c1", key: "recent", time: Self.t0 + 20_000)) == .duplicate(recent))
    }
}
