import HubbubPresence
import Testing

@Suite struct RosterTests {
    @Test func pagesInUserIDOrder() {
        var room = PresenceRoom()
        let users = ["zed", "Zoe", "amy", "bo", "Émile", "42", "amy2", "b"]
        for user in users { room.join(user, "c-\(user)", at: 0) }
        _ = room.flush(now: 50 * ms)

        var listed: [String] = []
        var cursor: String?
        var pages = 0
        repeat {
            let page = room.roster(after: cursor, limit: 3)
            #expect(page.entries.count <= 3)
            #expect(page.counts == PresenceCounts(users: 8, connections: 8))
            listed += page.entries.map(\.userID)
            cursor = page.nextCursor
            pages += 1
        } while cursor != nil && pages < 10
        #expect(pages == 3)
        #expect(listed == users.sorted())
        #expect(listed.first == "42" && listed.last == "Émile")
    }

    @Test func theLastFullPageHasNoCursor() {
        var room = PresenceRoom()
        for user in ["a", "b", "c", "d"] { room.join(user, "c-\(user)", at: 0) }
        _ = room.flush(now: 50 * ms)
        let first = room.roster(after: nil, limit: 2)
        #expect(first.entries.map(\.userID) == ["a", "b"])
        #expect(first.nextCursor != nil)
        let second = room.roster(after: first.nextCursor, limit: 2)
        #expect(second.entries.map(\.userID) == ["c", "d"])
        #expect(second.nextCursor == nil)
        #expect(room.roster(after: nil, limit: 4).nextCursor == nil)
        #expect(room.roster(after: nil, limit: 0).entries.map(\.userID) == ["a"])
        #expect(room.roster(after: "zzz", limit: 5) == RosterPage(entries: [], nextCursor: nil, counts: first.counts))
        #expect(PresenceRoom().roster(after: nil, limit: 5).entries.isEmpty)
    }

    @Test func pagingIsStableWhileUsersJoinAndLeave() {
        var room = PresenceRoom(configuration: PresenceConfiguration(gracePeriod: 0))
        let initial = (0..<30).map { "u" + String($0 * 10).leftPadded(to: 3) }  // u000, u010, ... u290
        for user in initial { room.join(user, "c-\(user)", at: 0) }
        var now = 50 * ms
        _ = room.flush(now: now)

        var listed: [String] = []
        var cursor: String?
        var step = 0
        repeat {
            let page = room.roster(after: cursor, limit: 4)
            listed += page.entries.map(\.userID)
            cursor = page.nextCursor
            // Between pages: one user behind the cursor and one ahead leave, one joins on each side.
            step += 1
            now += 100 * ms
            let behind = "u" + String(step * 10 - 5).leftPadded(to: 3)
            let ahead = "u" + String(step * 40 + 5).leftPadded(to: 3)
            room.join(behind, "c-\(behind)", at: now)
            room.join(ahead, "c-\(ahead)", at: now)
            room.leave(connID: "c-u" + String(step * 10).leftPadded(to: 3), now: now)
            room.leave(connID: "c-u" + String(290 - step * 10).leftPadded(to: 3), now: now)
            _ = room.flush(now: now + 50 * ms)
        } while cursor != nil && step < 50

        #expect(listed == listed.sorted())
        #expect(Set(listed).count == listed.count)
        // Everyone present from the first page to the last is listed exactly once.
        let stayed = Set(initial).filter { room.isPresent(userID: $0) }
        #expect(stayed.count > 10)
        #expect(stayed.isSubset(of: Set(listed)))
        // Users joining ahead of the cursor are seen, those joining behind it are not.
        #expect(listed.contains("u045"))
        #expect(!listed.contains("u005"))
    }

    @Test func aCursorOfAUserWhoLeftStillWorks() {
        var room = PresenceRoom(configuration: PresenceConfiguration(gracePeriod: 0))
        for user in ["a", "b", "c", "d"] { room.join(user, "c-\(user)", at: 0) }
        _ = room.flush(now: 50 * ms)
        let first = room.roster(after: nil, limit: 2)
        #expect(first.nextCursor != nil)
        room.leave(connID: "c-b", now: 60 * ms)
        room.leave(connID: "c-a", now: 60 * ms)
        _ = room.flush(now: 110 * ms)
        #expect(room.roster(after: first.nextCursor, limit: 2).entries.map(\.userID) == ["c", "d"])
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}
