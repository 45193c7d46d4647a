import HubbubPresence
import Testing

@Suite struct DeadlineTests {
    @Test func theNextDeadlineIsTheEarlierOfBatchAndGrace() throws {
        var room = PresenceRoom()
        #expect(room.nextDeadline == nil)
        room.join("alice", "a1", at: 7 * ms)
        #expect(room.nextDeadline == 57 * ms)
        // Later changes do not push the window back.
        room.join("bob", "b1", at: 40 * ms)
        #expect(room.nextDeadline == 57 * ms)
        _ = try room.flushDiff(now: 57 * ms)
        #expect(room.nextDeadline == nil)

        room.leave(connID: "a1", now: 100 * ms)
        let graceEnd = 100 * ms + 5 * seconds
        #expect(room.nextDeadline == graceEnd)
        room.join("carol", "c1", at: 200 * ms)
        #expect(room.nextDeadline == 250 * ms)
        _ = try room.flushDiff(now: 250 * ms)
        #expect(room.nextDeadline == graceEnd)

        // The grace ends: the leave opens a window at the grace end.
        #expect(room.flush(now: graceEnd) == nil)
        #expect(room.nextDeadline == graceEnd + 50 * ms)
        _ = try room.flushDiff(now: graceEnd + 50 * ms)
        #expect(room.nextDeadline == nil)
    }

    @Test func aMissedDeadlineIsInThePast() throws {
        var room = PresenceRoom()
        room.join("alice", "a1", at: 0)
        _ = room.flush(now: 50 * ms)
        room.leave(connID: "a1", now: 100 * ms)
        // The grace ended at 5.1 s, but the next call comes at 9 s: it opens the window at 5.1 s.
        room.join("bob", "b1", at: 9 * seconds)
        #expect(room.nextDeadline == 5 * seconds + 150 * ms)
        let diff = try room.flushDiff(now: 9 * seconds)
        #expect(diff.changes?.leftIDs == ["alice"])
        #expect(diff.changes?.joinedIDs == ["bob"])
    }

    @Test func aCancelledGraceIsNoLongerADeadline() {
        var room = PresenceRoom()
        room.join("alice", "a1", at: 0)
        room.join("bob", "b1", at: 0)
        _ = room.flush(now: 50 * ms)
        room.leave(connID: "a1", now: 100 * ms)
        room.leave(connID: "b1", now: 200 * ms)
        room.join("alice", "a1", at: 300 * ms)
        #expect(room.nextDeadline == 200 * ms + 5 * seconds)
        room.join("bob", "b1", at: 400 * ms)
        #expect(room.nextDeadline == nil)
    }

    @Test func timeGoingBackCountsAsTheLatestTime() {
        var room = PresenceRoom()
        room.join("alice", "a1", at: 10 * seconds)
        room.join("bob", "b1", at: 1 * seconds)
        #expect(room.nextDeadline == 10 * seconds + 50 * ms)
        #expect(room.flush(now: 3 * seconds) == nil)
        #expect(room.flush(now: 10 * seconds + 50 * ms)?.changes?.joinedIDs == ["alice", "bob"])
        room.leave(connID: "a1", now: 2 * seconds)
        #expect(room.nextDeadline == 15 * seconds + 50 * ms)
    }
}
