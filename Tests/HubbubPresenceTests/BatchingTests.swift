import HubbubPresence
import Testing

@Suite struct BatchingTests {
    @Test func manyJoinsInOneWindowMakeOneDiff() throws {
        var room = PresenceRoom()
        let users = (0..<100).map { "user\($0)" }
        for (index, user) in users.shuffled().enumerated() {
            room.join(user, "c-\(user)", at: 10 * ms + UInt64(index) * 100_000)
        }
        #expect(room.nextDeadline == 60 * ms)
        #expect(room.flush(now: 60 * ms - 1) == nil)
        let diff = try room.flushDiff(now: 60 * ms)
        let changes = try #require(diff.changes)
        #expect(changes.joinedIDs == users.sorted())
        #expect(changes.leaves.isEmpty && changes.updates.isEmpty)
        #expect(room.flush(now: 60 * ms) == nil)
        #expect(room.flush(now: 1 * seconds) == nil)
        #expect(room.nextDeadline == nil)
    }

    @Test func aJoinThenALeaveInOneWindowCancelOut() {
        var room = PresenceRoom(configuration: PresenceConfiguration(gracePeriod: 0))
        room.join("alice", "a1", at: 0)
        room.join("bob", "b1", at: 10 * ms)
        room.leave(connID: "b1", now: 20 * ms)
        let diff = room.flush(now: 50 * ms)
        #expect(diff?.changes == PresenceChanges(joins: [room.presence(of: "alice")].compactMap { $0 }))

        // Alone in a window, the pair gives no diff at all.
        room.join("carol", "c1", at: 100 * ms)
        room.leave(connID: "c1", now: 110 * ms)
        #expect(room.flush(now: 150 * ms) == nil)
        #expect(room.nextDeadline == nil)
    }

    @Test func aJoinThenALeaveAfterItsGraceInOneWindowCancelOut() {
        // With the grace the leave only happens when the grace ends; if that is inside the
        // window too (a 1 s window here), the join still never shows.
        var room = PresenceRoom(configuration: PresenceConfiguration(gracePeriod: 100 * ms, batchWindow: 1 * seconds))
        room.join("alice", "a1", at: 0)
        room.leave(connID: "a1", now: 10 * ms)
        #expect(room.nextDeadline == 110 * ms)
        #expect(room.flush(now: 110 * ms) == nil)
        #expect(room.nextDeadline == 1 * seconds)
        #expect(room.flush(now: 1 * seconds) == nil)
        #expect(room.isIdle)
    }

    @Test func aLeaveThenAJoinInOneWindowIsAnUpdate() throws {
        var room = PresenceRoom(configuration: PresenceConfiguration(gracePeriod: 0))
        room.join("alice", "a1", at: 0)
        _ = room.flush(now: 50 * ms)
        room.leave(connID: "a1", now: 60 * ms)
        room.join("alice", "a2", at: 70 * ms)
        let diff = try room.flushDiff(now: 110 * ms)
        #expect(diff.changes?.updates.map(\.connIDs) == [["a2"]])
        #expect(diff.changes?.joins == [] && diff.changes?.leaves == [])
    }

    @Test func updatesCoalesceToTheLast() throws {
        var room = PresenceRoom()
        room.join("alice", "a1", state: ["card": 0], at: 0)
        room.join("bob", "b1", at: 0)
        _ = room.flush(now: 50 * ms)
        for card in 1...5 {
            #expect(room.update(connID: "a1", state: ["card": .number(Double(card))], now: 60 * ms) == .ok)
        }
        let diff = try room.flushDiff(now: 110 * ms)
        #expect(diff.changes?.updates.count == 1)
        #expect(diff.changes?.updates.first?.metas.first?.state == ["card": 5])

        // Changed and changed back within the window: nothing to send.
        #expect(room.update(connID: "a1", state: ["card": 6], now: 200 * ms) == .ok)
        #expect(room.update(connID: "a1", state: ["card": 5], now: 210 * ms) == .ok)
        #expect(room.flush(now: 250 * ms) == nil)
        // The same state again opens no window.
        #expect(room.update(connID: "a1", state: ["card": 5], now: 300 * ms) == .ok)
        #expect(room.nextDeadline == nil)
    }

    @Test func atMostOneDiffPerWindow() {
        var room = PresenceRoom(configuration: PresenceConfiguration(updatesPerSecond: 1000, updateBurst: 1000))
        room.join("alice", "a1", at: 0)
        var times: [UInt64] = []
        for step in 0..<200 {
            let now = UInt64(step) * 7 * ms
            _ = room.update(connID: "a1", state: ["step": .number(Double(step))], now: now)
            if room.flush(now: now) != nil { times.append(now) }
        }
        #expect(times.count > 20)
        for (earlier, later) in zip(times, times.dropFirst()) {
            #expect(later - earlier >= 50 * ms)
        }
    }

    @Test func aZeroWindowSendsEachChangeAtTheNextFlush() throws {
        var room = PresenceRoom(configuration: PresenceConfiguration(batchWindow: 0))
        room.join("alice", "a1", at: 5)
        #expect(room.nextDeadline == 5)
        let diff = try room.flushDiff(now: 5)
        #expect(diff.changes?.joinedIDs == ["alice"])
    }

    @Test func aLateFlushStillSendsOneDiff() throws {
        var room = PresenceRoom()
        room.join("alice", "a1", at: 0)
        room.join("bob", "b1", at: 30 * ms)
        room.join("carol", "c1", at: 900 * ms)
        let diff = try room.flushDiff(now: 1 * seconds)
        #expect(diff.changes?.joinedIDs == ["alice", "bob", "carol"])
        #expect(room.flush(now: 2 * seconds) == nil)
    }
}

/// A joiner's snapshot is the room as it is now, ahead of the published state: the next
/// diff must bring that joiner to the room's state even when the window's net change is
/// nothing for everyone else.
@Suite struct JoinerSnapshotTests {
    @Test func aUserWhoJoinedAndLeftWhileSomeoneJoinedIsReportedAsALeave() throws {
        var room = PresenceRoom(configuration: PresenceConfiguration(gracePeriod: 0))
        room.join("bob", "b1", at: 0)
        room.join("carol", "c1", at: 5 * ms)
        let shown = room.joinerSnapshot()  // carol's presence_state: bob included
        guard case .full(let entries) = shown else {
            Issue.record("expected full mode")
            return
        }
        #expect(entries.map(\.userID) == ["bob", "carol"])
        room.leave(connID: "b1", now: 10 * ms, graceful: false)
        let changes = try #require(try room.flushDiff(now: 50 * ms).changes)
        #expect(changes.joinedIDs == ["carol"])
        #expect(changes.leaves.map(\.userID) == ["bob"])  // so carol drops him
    }

    @Test func anIntermediateStateShownToAJoinerIsCorrected() throws {
        var room = PresenceRoom(configuration: PresenceConfiguration(gracePeriod: 0))
        room.join("bob", "b1", at: 0)
        _ = try room.flushDiff(now: 50 * ms)
        #expect(room.update(connID: "b1", state: ["typing": true], now: 60 * ms) == .ok)
        _ = room.joinerSnapshot()  // shows bob typing
        #expect(room.update(connID: "b1", state: .emptyObject, now: 70 * ms) == .ok)  // back as published
        let changes = try #require(try room.flushDiff(now: 110 * ms).changes)
        #expect(changes.updates.map(\.userID) == ["bob"])
    }

    @Test func withoutAJoinerTheNetChangeStaysNothing() {
        var room = PresenceRoom(configuration: PresenceConfiguration(gracePeriod: 0))
        room.join("bob", "b1", at: 0)
        room.leave(connID: "b1", now: 10 * ms, graceful: false)
        #expect(room.flush(now: 50 * ms) == nil)
    }
}
