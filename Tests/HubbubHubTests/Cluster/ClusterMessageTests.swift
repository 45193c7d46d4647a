import HubbubJSON
import HubbubPresence
import Testing

@testable import HubbubHub

/// The messages nodes exchange on room and user channels (docs/redis.md).
@Suite struct ClusterMessageTests {
    static let frame = Array(#"{"type":"comment.created","event_id":"e1","room":"p","seq":7,"payload":{"card":{"id":"c1","title":"T"}}}"#.utf8)

    @Test func anEventCarriesTheClientMessageUnchanged() throws {
        let bytes = ClusterMessage.encodeEvent(frame: Self.frame)
        guard case .event(let event)? = ClusterMessage.decode(bytes) else {
            Issue.record("not an event")
            return
        }
        #expect(event.seq == 7)
        #expect(event.type == "comment.created")
        #expect(event.frame == Self.frame)  // the same bytes clients get
        #expect(event.payload?["card"]?["id"]?.stringValue == "c1")
    }

    @Test(arguments: [
        ClusterMessage.presenceJoin(.init(
            node: "n1", connID: "c1", userID: "u_alice", name: "Alice \"A\"", username: "alice",
            state: .object(["typing": true, "card": "c\n1"]), joinedAt: 1_700_000_000_123)),
        .presenceJoin(.init(node: "n1", connID: "c2", userID: "u_bob", name: "Bob", username: nil, state: .emptyObject, joinedAt: 0)),
        .presenceLeave(node: "n2", connID: "c1", graceful: true),
        .presenceLeave(node: "n2", connID: "c1", graceful: false),
        .ephemeral(node: "n3", senderConnID: "c9", coalesceKey: "c9\u{1F}typing", frame: Array("{\"type\":\"ephemeral\",\"x\":\"a\\nb\"}".utf8)),
        .personal(node: "n3", userID: "u_bob", frame: Array("{\"type\":\"mention\"}".utf8)),
        .removeFromRoom(node: "n1", userID: "u_bob", reason: "membership_revoked"),
        .removeFromRoom(node: "n1", userID: nil, reason: "project_deleted"),
        .membersChanged(node: "n2"),
        .disconnect(node: "n2", userID: "u_eve", code: 4501, reason: "bye"),
        .event(.init(seq: 7, type: "comment.created", payload: JSONParser.parse(Array(#"{"card":{"id":"c1","title":"T"}}"#.utf8)), frame: frame)),
    ])
    func roundTrips(_ message: ClusterMessage) {
        #expect(ClusterMessage.decode(message.encoded()) == message)
    }

    @Test(arguments: [
        [UInt8](), [0x00], Array("E".utf8), Array("E{\"seq\":\"7\",\"type\":\"t\"}".utf8), Array("J{}".utf8),
        Array("L{\"node\":\"n\",\"conn\":\"c\"}".utf8), Array("X{\"node\":\"n\",\"conn\":\"c\",\"key\":\"k\"}".utf8),
        Array("M{\"node\":\"n\"}\n{}".utf8), Array("Q{}".utf8),
        Array("R{\"node\":\"n\",\"user\":5,\"reason\":\"r\"}".utf8), Array("D{\"node\":\"n\",\"user\":\"u\",\"code\":70000,\"reason\":\"r\"}".utf8),
    ])
    func malformedBytesAreRefusedNotTrusted(_ bytes: [UInt8]) {
        #expect(ClusterMessage.decode(bytes) == nil)
    }
}
