import HubbubPresence
import Testing

@Suite struct GraceTests {
    /// Alice and Bob present and published at 0; returns the room at 50 ms.
    func twoUsers(configuration: PresenceConfiguration = PresenceConfiguration()) -> PresenceRoom {
        var room = PresenceRoom(configuration: configuration)
        room.join("alice", "a1", state: ["card": 1], joinedAt: 10, at: 0)
        room.join("bob", "b1", at: 0)
        _ = room.flush(now: 50 * ms)
        return room
    }

    @Test func aReturnWithinGraceIsAnUpdateOfTheConnectionID() throws {
        var room = twoUsers()
        var view = PresenceView(room.snapshot())
        var diffs: [PresenceDiff] = []

        room.leave(connID: "a1", now: 100 * ms)
        // During the grace alice is shown as before, with the closed connection's meta.
        #expect(room.isPresent(userID: "alice"))
        #expect(room.presence(of: "alice")?.connIDs == ["a1"])
        #expect(room.connectionCount == 2)
        #expect(room.update(connID: "a1", state: ["card": 2], now: 150 * ms) == .notFound)
        for t in stride(from: 150 * ms, to: 4 * seconds, by: Int(500 * ms)) {
            if let diff = room.flush(now: t) { diffs.append(diff) }
        }
        #expect(diffs.isEmpty)

        room.join("alice", "a2", state: ["card": 1], joinedAt: 20, at: 4 * seconds)
        for t in stride(from: 4 * seconds, through: 12 * seconds, by: Int(10 * ms)) {
            if let diff = room.flush(now: t) { diffs.append(diff) }
        }
        #expect(diffs.count == 1)
        let changes = try #require(diffs.first?.changes)
        #expect(changes.joins == [] && changes.leaves == [])
        #expect(
            changes.updates == [
                PresenceEntry(
                    userID: "alice", name: "Alice",
                    metas: [PresenceMeta(connID: "a2", state: ["card": 1], joinedAt: 20)]
                )
            ]
        )
        for diff in diffs { #expect(view.apply(diff) == true) }
        #expect(view == PresenceView(room.snapshot()))
        #expect(room.nextDeadline == nil)
    }

    @Test func aResumedConnectionWithinGraceIsInvisible() {
        var room = twoUsers()
        let before = room.snapshot()
        room.leave(connID: "a1", now: 100 * ms)
        room.join("alice", "a1", state: ["card": 1], joinedAt: 99, at: 3 * seconds)
        #expect(room.presence(of: "alice")?.metas == [PresenceMeta(connID: "a1", state: ["card": 1], joinedAt: 10)])
        #expect(room.nextDeadline == nil)
        for t in stride(from: 3 * seconds, through: 12 * seconds, by: Int(10 * ms)) {
            #expect(room.flush(now: t) == nil)
        }
        #expect(room.snapshot() == before)
    }

    @Test func aReturnAfterGraceIsALeaveThenAJoin() throws {
        var room = twoUsers()
        var view = PresenceView(room.snapshot())
        room.leave(connID: "a1", now: 100 * ms)
        let graceEnd = 100 * ms + 5 * seconds
        #expect(room.nextDeadline == graceEnd)
        #expect(room.flush(now: graceEnd - 1) == nil)
        #expect(room.isPresent(userID: "alice"))
        #expect(room.flush(now: graceEnd) == nil)
        #expect(!room.isPresent(userID: "alice"))
        let left = try room.flushDiff(now: graceEnd + 50 * ms)
        #expect(left.changes == PresenceChanges(leaves: [alice(connID: "a1", card: 1, joinedAt: 10)]))
        #expect(view.apply(left) == true)

        room.join("alice", "a2", at: 6 * seconds)
        let joined = try room.flushDiff(now: 6 * seconds + 50 * ms)
        #expect(joined.changes?.joinedIDs == ["alice"])
        #expect(joined.changes?.leaves == [] && joined.changes?.updates == [])
        #expect(view.apply(joined) == true)
        #expect(view == PresenceView(room.snapshot()))
    }

    @Test func anExpiredGraceIsAppliedBeforeALaterJoinEvenWithoutAFlush() throws {
        var room = twoUsers()
        room.leave(connID: "a1", now: 100 * ms)
        // Nobody flushed at the end of the grace; the join at 7 s still comes after it.
        room.join("alice", "a2", joinedAt: 77, at: 7 * seconds)
        #expect(room.presence(of: "alice")?.metas == [PresenceMeta(connID: "a2", state: .emptyObject, joinedAt: 77)])
        // The leave at 5.1 s and the join at 7 s fall in one window: they net to an update.
        let diff = try room.flushDiff(now: 7 * seconds)
        #expect(diff.changes?.updatedIDs == ["alice"])
    }

    @Test func aZeroGraceLeavesAtOnce() throws {
        var room = twoUsers(configuration: PresenceConfiguration(gracePeriod: 0))
        room.leave(connID: "a1", now: 100 * ms)
        #expect(!room.isPresent(userID: "alice"))
        #expect(room.nextDeadline == 150 * ms)
        let diff = try room.flushDiff(now: 150 * ms)
        #expect(diff.changes?.leftIDs == ["alice"])
    }

    @Test func everyUserHasTheirOwnGrace() throws {
        var room = twoUsers()
        room.leave(connID: "a1", now: 100 * ms)
        room.leave(connID: "b1", now: 2 * seconds)
        #expect(room.nextDeadline == 100 * ms + 5 * seconds)
        room.join("alice", "a2", at: 3 * seconds)
        #expect(room.nextDeadline == 3 * seconds + 50 * ms)
        let update = try room.flushDiff(now: 3 * seconds + 50 * ms)
        #expect(update.changes?.updatedIDs == ["alice"])
        #expect(room.nextDeadline == 7 * seconds)
        #expect(room.flush(now: 7 * seconds) == nil)
        let leave = try room.flushDiff(now: 7 * seconds + 50 * ms)
        #expect(leave.changes?.leftIDs == ["bob"])
        #expect(room.nextDeadline == nil)
    }
}

private func alice(connID: String, card: Int, joinedAt: Int64) -> PresenceEntry {
    PresenceEntry(
        userID: "alice", name: "Alice",
        metas: [PresenceMeta(connID: connID, state: ["card": .number(Double(card))], joinedAt: joinedAt)]
    )
}

@Suite struct ExplicitLeaveTests {
    @Test func explicitLeaveOfTheLastConnectionSkipsTheGrace() {
        var room = PresenceRoom(configuration: PresenceConfiguration(gracePeriod: 5_000_000_000, batchWindow: 0))
        _ = room.join(userID: "u1", name: "One", connID: "c1", joinedAt: 1, now: 1)
        _ = room.flush(now: 1)
        room.leave(connID: "c1", now: 2, graceful: false)
        let diff = room.flush(now: 2)
        #expect(room.isPresent(userID: "u1") == false)
        guard case .full(let changes)? = diff else {
            Issue.record("expected a full diff, got \(String(describing: diff))")
            return
        }
        #expect(changes.leaves.map(\.userID) == ["u1"])
    }
}
