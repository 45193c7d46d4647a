import HubbubPresence
import Testing

@Suite struct SnapshotTests {
    @Test func anEmptyRoom() {
        let room = PresenceRoom()
        #expect(room.snapshot() == .full([]))
        #expect(room.mode == .full)
        #expect(room.userCount == 0 && room.connectionCount == 0)
        #expect(room.nextDeadline == nil)
        #expect(room.isIdle)
        #expect(PresenceView(room.snapshot()) == PresenceView())
    }

    @Test func listsEveryUserInIDOrderWithTheirMetas() throws {
        var room = PresenceRoom()
        let first = room.join(
            userID: "bob", name: "Bob B", username: "bobb", connID: "c1", state: ["viewing_card": "12"],
            joinedAt: 1_700_000_000_001, now: 0
        )
        #expect(first == .joined(.full([])))
        room.join("alice", "c2", state: ["viewing_card": "7"], joinedAt: 1_700_000_000_002, at: 1 * ms)
        room.join("bob", "c3", joinedAt: 1_700_000_000_003, at: 2 * ms)
        #expect(room.flush(now: 50 * ms) != nil)

        let expected: [PresenceEntry] = [
            PresenceEntry(
                userID: "alice", name: "Alice",
                metas: [PresenceMeta(connID: "c2", state: ["viewing_card": "7"], joinedAt: 1_700_000_000_002)]
            ),
            PresenceEntry(
                userID: "bob", name: "Bob", username: nil,
                metas: [
                    PresenceMeta(connID: "c1", state: ["viewing_card": "12"], joinedAt: 1_700_000_000_001),
                    PresenceMeta(connID: "c3", state: .emptyObject, joinedAt: 1_700_000_000_003),
                ]
            ),
        ]
        #expect(room.snapshot() == .full(expected))
        #expect(room.snapshot().counts == PresenceCounts(users: 2, connections: 3))
        #expect(room.userCount == 2 && room.connectionCount == 3)

        // A joiner gets the published state: everyone so far, not yet itself.
        let joined = room.join("carol", "c4", at: 60 * ms)
        let joiner = try #require(joined)
        #expect(joiner == .full(expected))
        #expect(room.userCount == 3)
        #expect(room.isPresent(userID: "carol"))
        #expect(room.presence(of: "carol")?.connIDs == ["c4"])
    }

    @Test func theLatestJoinSetsTheNameAndUsername() {
        var room = PresenceRoom()
        _ = room.join(userID: "u", name: "Old", username: "old", connID: "a", joinedAt: 0, now: 0)
        _ = room.join(userID: "u", name: "New", username: "new", connID: "b", joinedAt: 0, now: 1)
        #expect(room.presence(of: "u")?.name == "New")
        #expect(room.presence(of: "u")?.username == "new")
        let diff = room.flush(now: 50 * ms)
        #expect(diff?.changes?.joins.first?.name == "New")
    }

    @Test func theSnapshotIgnoresUnflushedChanges() throws {
        var room = PresenceRoom()
        room.join("alice", "c1", state: ["card": 1], at: 0)
        _ = room.flush(now: 50 * ms)
        let published = room.snapshot()

        #expect(room.update(connID: "c1", state: ["card": 2], now: 60 * ms) == .ok)
        room.join("bob", "c2", at: 61 * ms)
        #expect(room.snapshot() == published)
        #expect(room.roster(after: nil, limit: 10).entries.map(\.userID) == ["alice"])
        #expect(room.presence(of: "alice")?.metas.first?.state == ["card": 2])

        let diff = try room.flushDiff(now: 110 * ms)
        var view = PresenceView(published)
        #expect(view.apply(diff) == true)
        #expect(view == PresenceView(room.snapshot()))
        #expect(room.snapshot().counts == PresenceCounts(users: 2, connections: 2))
    }

    @Test func rejoiningALiveConnectionReplacesItsStateOnly() throws {
        var room = PresenceRoom()
        room.join("alice", "c1", state: ["card": 1], joinedAt: 111, at: 0)
        room.join("alice", "c2", joinedAt: 222, at: 0)
        _ = room.flush(now: 50 * ms)
        room.join("alice", "c1", state: ["card": 9], joinedAt: 333, at: 60 * ms)
        #expect(room.connectionCount == 2)
        let diff = try room.flushDiff(now: 110 * ms)
        #expect(
            diff.changes?.updates == [
                PresenceEntry(
                    userID: "alice", name: "Alice",
                    metas: [
                        PresenceMeta(connID: "c1", state: ["card": 9], joinedAt: 111),
                        PresenceMeta(connID: "c2", state: .emptyObject, joinedAt: 222),
                    ]
                )
            ]
        )
    }

    @Test func aConnectionMovingToAnotherUserLeavesTheFirstUser() throws {
        var room = PresenceRoom()
        room.join("alice", "c1", at: 0)
        _ = room.flush(now: 50 * ms)
        room.join("bob", "c1", at: 60 * ms)
        #expect(!room.isPresent(userID: "alice"))
        #expect(room.connectionCount == 1)
        let changes = try #require(try room.flushDiff(now: 110 * ms).changes)
        #expect(changes.leftIDs == ["alice"])
        #expect(changes.joinedIDs == ["bob"])
        #expect(room.leave(connID: "c1", now: 120 * ms) == true)
        #expect(room.isPresent(userID: "bob"))  // in grace
        #expect(room.presence(of: "bob")?.connIDs == ["c1"])
        // The held connection id joins for alice: bob's grace ends at once.
        room.join("alice", "c1", at: 130 * ms)
        #expect(!room.isPresent(userID: "bob"))
        #expect(room.connectionCount == 1)
    }
}

@Suite struct CurrentSnapshotTests {
    @Test func includesChangesOfTheOpenWindow() {
        var room = PresenceRoom(configuration: PresenceConfiguration(batchWindow: 50_000_000))
        _ = room.join(userID: "u2", name: "Two", connID: "c2", joinedAt: 1, now: 1)
        _ = room.join(userID: "u1", name: "One", connID: "c1", joinedAt: 2, now: 2)
        guard case .full(let entries) = room.currentSnapshot() else {
            Issue.record("expected full mode")
            return
        }
        #expect(entries.map(\.userID) == ["u1", "u2"])
        #expect(room.snapshot() == .full([]))
    }

    @Test func takesTheModeTheNextFlushWillTake() {
        var room = PresenceRoom(configuration: PresenceConfiguration(batchWindow: 50_000_000, largeRoomThreshold: 1, largeRoomExitThreshold: 0))
        _ = room.join(userID: "u1", name: "One", connID: "c1", joinedAt: 1, now: 1)
        _ = room.join(userID: "u2", name: "Two", connID: "c2", joinedAt: 1, now: 2)
        _ = room.join(userID: "u2", name: "Two", connID: "c3", joinedAt: 1, now: 3)
        #expect(room.currentSnapshot() == .counts(PresenceCounts(users: 2, connections: 3)))
    }
}
