import HubbubPresence
import Testing

@Suite struct UpdateLimitTests {
    @Test func updatesAreRateLimitedPerConnection() {
        var room = PresenceRoom(configuration: PresenceConfiguration(updatesPerSecond: 10, updateBurst: 2))
        room.join("alice", "a1", at: 0)
        room.join("alice", "a2", at: 0)
        let t = 1 * seconds
        #expect(room.update(connID: "a1", state: ["n": 1], now: t) == .ok)
        #expect(room.update(connID: "a1", state: ["n": 2], now: t) == .ok)
        #expect(room.update(connID: "a1", state: ["n": 3], now: t) == .rateLimited(retryAfter: 100 * ms))
        #expect(room.update(connID: "a1", state: ["n": 3], now: t + 40 * ms) == .rateLimited(retryAfter: 60 * ms))
        #expect(room.presence(of: "alice")?.meta(connID: "a1")?.state == ["n": 2])
        // Another connection of the same user has its own bucket.
        #expect(room.update(connID: "a2", state: ["n": 1], now: t + 40 * ms) == .ok)
        #expect(room.update(connID: "a1", state: ["n": 3], now: t + 100 * ms) == .ok)
        #expect(room.presence(of: "alice")?.meta(connID: "a1")?.state == ["n": 3])
        #expect(room.update(connID: "a1", state: ["n": 4], now: t + 100 * ms) == .rateLimited(retryAfter: 100 * ms))
        // After a pause the burst is back, and no more.
        #expect(room.update(connID: "a1", state: ["n": 5], now: t + 10 * seconds) == .ok)
        #expect(room.update(connID: "a1", state: ["n": 6], now: t + 10 * seconds) == .ok)
        #expect(room.update(connID: "a1", state: ["n": 7], now: t + 10 * seconds) == .rateLimited(retryAfter: 100 * ms))
    }

    @Test func aRejoinDoesNotResetTheLimit() {
        var room = PresenceRoom(configuration: PresenceConfiguration(updatesPerSecond: 1, updateBurst: 1))
        room.join("alice", "a1", at: 0)
        #expect(room.update(connID: "a1", state: ["n": 1], now: 0) == .ok)
        room.join("alice", "a1", state: ["n": 2], at: 0)
        #expect(room.update(connID: "a1", state: ["n": 3], now: 0) == .rateLimited(retryAfter: 1 * seconds))
    }

    @Test func updatesOfUnknownConnectionsAreNotFound() {
        var room = PresenceRoom()
        #expect(room.update(connID: "ghost", state: [:], now: 0) == .notFound)
        room.join("alice", "a1", at: 0)
        room.join("alice", "a2", at: 0)
        room.leave(connID: "a1", now: 1)
        #expect(room.update(connID: "a1", state: [:], now: 2) == .notFound)
        #expect(room.update(connID: "a2", state: [:], now: 2) == .ok)
    }

    @Test func theMetaSizeLimitIsEnforcedOnJoinAndUpdate() {
        var room = PresenceRoom(configuration: PresenceConfiguration(maxMetaBytes: 21, updatesPerSecond: 1, updateBurst: 1))
        let fits: PresenceValue = ["viewing_card": "12"]  // {"viewing_card":"12"}: 21 bytes
        let over: PresenceValue = ["viewing_card": "123"]
        #expect(fits.jsonByteCount == 21)

        let refused = room.join(userID: "alice", name: "Alice", connID: "a1", state: over, joinedAt: 0, now: 0)
        #expect(refused == .tooLarge(bytes: 22))
        #expect(!room.isPresent(userID: "alice"))
        #expect(room.isIdle)

        room.join("alice", "a1", state: fits, at: 0)
        // Too large is refused before the rate limit, and costs no token.
        #expect(room.update(connID: "a1", state: over, now: 0) == .tooLarge(bytes: 22))
        #expect(room.presence(of: "alice")?.metas.first?.state == fits)
        #expect(room.update(connID: "a1", state: [:], now: 0) == .ok)
        #expect(room.update(connID: "a1", state: over, now: 0) == .tooLarge(bytes: 22))
        #expect(room.update(connID: "a1", state: fits, now: 0) == .rateLimited(retryAfter: 1 * seconds))
    }
}
