import HubbubJSON
import HubbubPresence
import HubbubStore
import Testing

@testable import HubbubHub

@Suite struct ServerMessageTests {
    private func parse(_ bytes: [UInt8]) -> JSONValue? { JSONParser.parse(bytes) }

    @Test func eventEmbedsTheStoredPayloadAsIs() throws {
        let event = StoredEvent(
            eventID: "01972f1e-aab0-7d7c-8fd1-5e4b1e4f0c2a", room: "p_apollo", seq: 42, type: "comment.created",
            actor: .user(id: "u_alice", name: "Alice \"A\" Adams"), correlationID: "a7c3f19e-2", time: 1_748_854_803_108,
            payload: #"{"comment_id":"cm_1","card_id":"card_12","text":"hi","mentions":[]}"#)
        let value = try #require(parse(ServerMessage.event(event)))
        #expect(value["type"] == .string("comment.created"))
        #expect(value["seq"] == .number(JSONNumber(integer: 42, double: 42)))
        #expect(value["time"] == .string("2025-06-02T09:00:03.108Z"))
        #expect(value["actor"]?["name"] == .string("Alice \"A\" Adams"))
        #expect(value["payload"]?["card_id"] == .string("card_12"))
    }

    @Test func errorCarriesRetryableAndDetails() throws {
        let error = ProtocolError(
            .rateLimited, "slow down", details: .object(["bucket": .string("commands")]), retryAfterMilliseconds: 430)
        let value = try #require(parse(ServerMessage.error(id: nil, error)))
        #expect(value["id"] == .null)
        #expect(value["code"] == .string("rate_limited"))
        #expect(value["retryable"] == .bool(true))
        #expect(value["retry_after_ms"] == .number(JSONNumber(integer: 430, double: 430)))
        #expect(value["details"]?["bucket"] == .string("commands"))
    }

    @Test func presenceDiffListsWholeEntries() throws {
        let entry = PresenceEntry(
            userID: "u_bob", name: "Bob", username: "bob",
            metas: [PresenceMeta(connID: "cn_1", state: .object(["viewing_card": .string("c1")]), joinedAt: 0)])
        let diff = PresenceDiff.full(PresenceChanges(joins: [entry]))
        let value = try #require(parse(ServerMessage.presenceDiff(room: "p", diff)))
        #expect(value["mode"] == .string("full"))
        #expect(value["joins"]?["u_bob"]?["metas"] == .array([.object([
            "conn_id": .string("cn_1"), "state": .object(["viewing_card": .string("c1")]),
            "joined_at": .string("1970-01-01T00:00:00.000Z"),
        ])]))
        #expect(value["leaves"] == .object([:]))
        let counts = try #require(parse(ServerMessage.presenceDiff(room: "p", .counts(PresenceCounts(users: 3, connections: 4)))))
        #expect(counts["total_users"] == .number(JSONNumber(integer: 3, double: 3)))
        let state = try #require(parse(ServerMessage.presenceDiff(room: "p", .state(.counts(PresenceCounts(users: 1, connections: 1))))))
        #expect(state["type"] == .string("presence_state"))
    }

    @Test func welcomeAnnouncesTheLimitsInForce() throws {
        var configuration = HubConfiguration()
        configuration.commands.maxCommentBytes = 123
        let identity = Identity(userID: "u", name: "U", expiresAtMillis: 0)
        let value = try #require(parse(ServerMessage.welcome(
            connID: "cn_x", resumed: true, identity: identity, limits: configuration, nowMillis: 0)))
        #expect(value["limits"]?["max_comment_bytes"] == .number(JSONNumber(integer: 123, double: 123)))
        #expect(value["limits"]?["presence_grace_ms"] == .number(JSONNumber(integer: 15000, double: 15000)))
        #expect(value["resumed"] == .bool(true))
    }
}
