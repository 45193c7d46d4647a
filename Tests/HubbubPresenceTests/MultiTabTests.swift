import HubbubPresence
import Testing

@Suite struct MultiTabTests {
    @Test func twoTabsOfOneUser() throws {
        var room = PresenceRoom()
        var view = PresenceView(room.snapshot())

        room.join("alice", "tab1", joinedAt: 1, at: 0)
        let joined = try room.flushDiff(now: 50 * ms)
        #expect(joined.changes?.joinedIDs == ["alice"])
        #expect(joined.changes?.joins.first?.connIDs == ["tab1"])
        #expect(joined.changes?.leaves == [] && joined.changes?.updates == [])
        #expect(view.apply(joined) == true)

        // The second tab is an update carrying both metas, not a second join.
        room.join("alice", "tab2", joinedAt: 2, at: 100 * ms)
        let opened = try room.flushDiff(now: 150 * ms)
        #expect(opened.changes?.joins == [] && opened.changes?.leaves == [])
        #expect(opened.changes?.updates.map(\.connIDs) == [["tab1", "tab2"]])
        #expect(view.apply(opened) == true)
        #expect(view.counts == PresenceCounts(users: 1, connections: 2))

        // Closing one tab is a meta-level change: an update, alice stays present.
        #expect(room.leave(connID: "tab1", now: 200 * ms) == true)
        let closed = try room.flushDiff(now: 250 * ms)
        #expect(closed.changes?.joins == [] && closed.changes?.leaves == [])
        #expect(closed.changes?.updates.map(\.connIDs) == [["tab2"]])
        #expect(view.apply(closed) == true)

        // Closing the last tab reports nothing until the grace period ends, then one leave.
        #expect(room.leave(connID: "tab2", now: 300 * ms) == true)
        #expect(room.isPresent(userID: "alice"))
        #expect(room.flush(now: 350 * ms) == nil)
        #expect(room.flush(now: 300 * ms + 5 * seconds - 1) == nil)
        #expect(room.flush(now: 300 * ms + 5 * seconds) == nil)  // the leave waits for its batch window
        #expect(!room.isPresent(userID: "alice"))
        let left = try room.flushDiff(now: 350 * ms + 5 * seconds)
        #expect(left.changes?.leftIDs == ["alice"])
        #expect(left.changes?.leaves.first?.connIDs == ["tab2"])
        #expect(left.changes?.joins == [] && left.changes?.updates == [])
        #expect(view.apply(left) == true)
        #expect(view == PresenceView())
        #expect(room.isIdle)
        #expect(room.nextDeadline == nil)
    }

    @Test func leavingAnUnknownConnectionChangesNothing() {
        var room = PresenceRoom()
        room.join("alice", "tab1", at: 0)
        _ = room.flush(now: 50 * ms)
        #expect(room.leave(connID: "nope", now: 60 * ms) == false)
        #expect(room.leave(connID: "tab1", now: 60 * ms) == true)
        #expect(room.leave(connID: "tab1", now: 70 * ms) == false)
        #expect(room.nextDeadline == 60 * ms + 5 * seconds)
    }
}
