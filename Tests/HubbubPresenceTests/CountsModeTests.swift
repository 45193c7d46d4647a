import HubbubPresence
import Testing

@Suite struct CountsModeTests {
    let configuration = PresenceConfiguration(gracePeriod: 0, largeRoomThreshold: 3, largeRoomExitThreshold: 1)

    @Test func switchesToCountsAboveTheThresholdAndBackAtTheExitThreshold() throws {
        var room = PresenceRoom(configuration: configuration)
        var view = PresenceView(room.snapshot())
        var now: UInt64 = 0
        func step(_ body: (inout PresenceRoom) -> Void) -> PresenceDiff? {
            now += 100 * ms
            body(&room)
            let diff = room.flush(now: now + 50 * ms)
            if let diff { #expect(view.apply(diff) == true) }
            return diff
        }

        for user in ["u1", "u2", "u3"] {
            let diff = step { $0.join(user, "c-\(user)", at: now) }
            #expect(diff?.changes?.joinedIDs == [user])
        }
        #expect(room.mode == .full)

        // A fourth user: above the threshold, the whole state is sent again, as counts.
        let switched = step { $0.join("u4", "c-u4", at: now) }
        #expect(switched == .state(.counts(PresenceCounts(users: 4, connections: 4))))
        #expect(room.mode == .counts)
        #expect(room.snapshot() == .counts(PresenceCounts(users: 4, connections: 4)))
        let joined = room.join("u5", "c-u5", at: now + 60 * ms)
        let joiner = try #require(joined)
        #expect(joiner == .counts(PresenceCounts(users: 4, connections: 4)))

        // In counts mode a diff is the new totals, and only when they change.
        #expect(room.flush(now: now + 110 * ms) == .counts(PresenceCounts(users: 5, connections: 5)))
        now += 110 * ms
        #expect(view.apply(.counts(PresenceCounts(users: 5, connections: 5))) == true)
        #expect(step { $0.join("u1", "c-u1-tab2", at: now) } == .counts(PresenceCounts(users: 5, connections: 6)))
        #expect(step { _ = $0.update(connID: "c-u1", state: ["card": 3], now: now) } == nil)
        #expect(room.presence(of: "u1")?.metas.first?.state == ["card": 3])

        // Down to the threshold and below it (but above the exit threshold): still counts.
        #expect(step { $0.leave(connID: "c-u5", now: now) } == .counts(PresenceCounts(users: 4, connections: 5)))
        #expect(step { $0.leave(connID: "c-u4", now: now) } == .counts(PresenceCounts(users: 3, connections: 4)))
        #expect(step { $0.leave(connID: "c-u3", now: now) } == .counts(PresenceCounts(users: 2, connections: 3)))
        #expect(room.mode == .counts)

        // At the exit threshold the full state comes back.
        let back = step { $0.leave(connID: "c-u2", now: now) }
        let u1 = try #require(room.presence(of: "u1"))
        #expect(back == .state(.full([u1])))
        #expect(u1.connIDs == ["c-u1", "c-u1-tab2"])
        #expect(u1.metas.first?.state == ["card": 3])
        #expect(room.mode == .full)
        #expect(view == PresenceView(room.snapshot()))
        #expect(view.mode == .full)

        let diff = step { $0.join("u2", "c-u2", at: now) }
        #expect(diff?.changes?.joinedIDs == ["u2"])
    }

    @Test func aFlushThatCrossesBothWaysSendsNoState() {
        var room = PresenceRoom(configuration: configuration)
        for user in ["u1", "u2", "u3"] { room.join(user, "c-\(user)", at: 0) }
        _ = room.flush(now: 50 * ms)
        room.join("u4", "c-u4", at: 100 * ms)
        room.leave(connID: "c-u4", now: 110 * ms)
        #expect(room.flush(now: 150 * ms) == nil)
        #expect(room.mode == .full)
    }

    @Test func theSwitchIsDecidedAtTheFlush() throws {
        var room = PresenceRoom(configuration: configuration)
        for user in ["u1", "u2", "u3", "u4", "u5"] { room.join(user, "c-\(user)", at: 0) }
        #expect(room.mode == .full)
        #expect(room.userCount == 5)
        let diff = try room.flushDiff(now: 50 * ms)
        #expect(diff == .state(.counts(PresenceCounts(users: 5, connections: 5))))
    }

    @Test func theRosterWorksInCountsMode() throws {
        var room = PresenceRoom(configuration: configuration)
        for user in ["u5", "u1", "u4", "u2", "u3"] { room.join(user, "c-\(user)", at: 0) }
        _ = room.flush(now: 50 * ms)
        #expect(room.mode == .counts)
        let page = room.roster(after: nil, limit: 2)
        #expect(page.entries.map(\.userID) == ["u1", "u2"])
        #expect(page.nextCursor != nil)
        #expect(page.counts == PresenceCounts(users: 5, connections: 5))
        let rest = room.roster(after: page.nextCursor, limit: 10)
        #expect(rest.entries.map(\.userID) == ["u3", "u4", "u5"])
        #expect(rest.nextCursor == nil)
    }
}
