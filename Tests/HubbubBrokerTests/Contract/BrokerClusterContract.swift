import HubbubBroker
import Testing

/// The cluster half of the ``Broker`` contract (heartbeats, online counts, presence),
/// run against every implementation with two brokers as two nodes.
@Suite("Broker contract: nodes, online, presence")
struct BrokerClusterContract {
    /// Short enough to wait out, long enough that a busy machine gets the next calls in
    /// before it passes.
    static let short = Duration.seconds(3)
    static let long = Duration.seconds(60)
    /// Long enough for a short heartbeat to have expired.
    static let expiry = Duration.milliseconds(4500)

    @Test(arguments: BrokerKind.allCases)
    func heartbeatsExpire(kind: BrokerKind) async throws {
        try await withNodes(kind, 2) { nodes in
            try await nodes[0].heartbeat(node: "a", ttl: Self.short)
            try await nodes[1].heartbeat(node: "b", ttl: Self.long)
            #expect(try await nodes[0].liveNodes() == ["a", "b"])
            #expect(try await nodes[1].liveNodes() == ["a", "b"])
            #expect(try await nodes[1].reapDeadNodes() == [])

            try await Task.sleep(for: Self.expiry)
            #expect(try await nodes[1].liveNodes() == ["b"])
            #expect(try await nodes[1].reapDeadNodes() == ["a"])
            #expect(try await nodes[0].reapDeadNodes() == [])  // each dead node is reaped once

            try await nodes[0].heartbeat(node: "a", ttl: Self.long)  // a node may come back
            #expect(try await nodes[1].liveNodes() == ["a", "b"])
            try await nodes[1].removeNode("b")
            #expect(try await nodes[0].liveNodes() == ["a"])
        }
    }

    @Test(arguments: BrokerKind.allCases)
    func onlineIsCountedAcrossNodes(kind: BrokerKind) async throws {
        try await withNodes(kind, 2) { nodes in
            try await nodes[0].heartbeat(node: "a", ttl: Self.long)
            try await nodes[1].heartbeat(node: "b", ttl: Self.long)
            #expect(try await nodes[1].isOnline(userID: "u") == false)

            try await nodes[0].userOnline(userID: "u", node: "a")
            try await nodes[0].userOnline(userID: "u", node: "a")  // two connections on a
            #expect(try await nodes[1].isOnline(userID: "u"))
            try await nodes[0].userOffline(userID: "u", node: "a")
            #expect(try await nodes[1].isOnline(userID: "u"))  // one left
            try await nodes[1].userOnline(userID: "u", node: "b")
            try await nodes[0].userOffline(userID: "u", node: "a")
            #expect(try await nodes[0].isOnline(userID: "u"))  // still on b
            try await nodes[1].userOffline(userID: "u", node: "b")
            #expect(try await nodes[0].isOnline(userID: "u") == false)

            try await nodes[1].userOffline(userID: "u", node: "b")  // never below zero
            try await nodes[1].userOnline(userID: "u", node: "b")
            #expect(try await nodes[0].isOnline(userID: "u"))
            #expect(try await nodes[0].isOnline(userID: "other") == false)
        }
    }

    @Test(arguments: BrokerKind.allCases)
    func onlineCountsOnlyWhileTheNodesHeartbeatIsCurrent(kind: BrokerKind) async throws {
        try await withNodes(kind, 2) { nodes in
            try await nodes[0].userOnline(userID: "u", node: "a")
            #expect(try await nodes[1].isOnline(userID: "u") == false)  // a never heartbeated
            try await nodes[0].heartbeat(node: "a", ttl: Self.short)
            #expect(try await nodes[1].isOnline(userID: "u"))

            try await Task.sleep(for: Self.expiry)  // a dies (kill -9: no offline calls)
            #expect(try await nodes[1].isOnline(userID: "u") == false)
            #expect(try await nodes[1].reapDeadNodes() == ["a"])
            try await nodes[0].heartbeat(node: "a", ttl: Self.long)
            #expect(try await nodes[1].isOnline(userID: "u") == false)  // the reap deleted its counts

            try await nodes[0].userOnline(userID: "u", node: "a")
            #expect(try await nodes[1].isOnline(userID: "u"))
            try await nodes[1].removeNode("a")  // graceful leave
            #expect(try await nodes[1].isOnline(userID: "u") == false)
        }
    }

    @Test(arguments: BrokerKind.allCases)
    func presenceIsOneHashPerRoom(kind: BrokerKind) async throws {
        try await withNodes(kind, 2) { nodes in
            try await nodes[0].heartbeat(node: "a", ttl: Self.long)
            try await nodes[1].heartbeat(node: "b", ttl: Self.long)
            #expect(try await nodes[0].presenceAll(room: "r") == [])

            try await nodes[1].presencePut(room: "r", node: "b", connID: "2", value: "bob".bytes)
            try await nodes[0].presencePut(room: "r", node: "a", connID: "1", value: "ann".bytes)
            try await nodes[0].presencePut(room: "r", node: "a", connID: "3", value: Array(0...255))
            try await nodes[0].presencePut(room: "other", node: "a", connID: "1", value: "x".bytes)
            let expected = [
                PresenceEntry(node: "a", connID: "1", value: "ann".bytes),
                PresenceEntry(node: "a", connID: "3", value: Array(0...255)),
                PresenceEntry(node: "b", connID: "2", value: "bob".bytes),
            ]
            #expect(try await nodes[0].presenceAll(room: "r") == expected)
            #expect(try await nodes[1].presenceAll(room: "r") == expected)  // the same from any node

            try await nodes[0].presencePut(room: "r", node: "a", connID: "1", value: "ann away".bytes)  // replaces
            try await nodes[0].presenceRemove(room: "r", node: "a", connID: "3")
            try await nodes[0].presenceRemove(room: "r", node: "a", connID: "missing")
            #expect(
                try await nodes[1].presenceAll(room: "r") == [
                    PresenceEntry(node: "a", connID: "1", value: "ann away".bytes),
                    PresenceEntry(node: "b", connID: "2", value: "bob".bytes),
                ])

            try await nodes[0].removeNode("b")  // b's entries go with it
            #expect(try await nodes[0].presenceAll(room: "r") == [PresenceEntry(node: "a", connID: "1", value: "ann away".bytes)])
            #expect(try await nodes[0].presenceAll(room: "other") == [PresenceEntry(node: "a", connID: "1", value: "x".bytes)])
        }
    }

    @Test(arguments: BrokerKind.allCases)
    func presenceOfADeadNodeDisappears(kind: BrokerKind) async throws {
        try await withNodes(kind, 2) { nodes in
            try await nodes[0].heartbeat(node: "a", ttl: Self.long)
            try await nodes[1].heartbeat(node: "b", ttl: Self.short)
            try await nodes[0].presencePut(room: "r", node: "a", connID: "1", value: "ann".bytes)
            try await nodes[1].presencePut(room: "r", node: "b", connID: "1", value: "bob".bytes)
            #expect(try await nodes[0].presenceAll(room: "r").count == 2)

            try await Task.sleep(for: Self.expiry)
            let alive = [PresenceEntry(node: "a", connID: "1", value: "ann".bytes)]
            #expect(try await nodes[0].presenceAll(room: "r") == alive)
            #expect(try await nodes[0].reapDeadNodes() == ["b"])
            try await nodes[1].heartbeat(node: "b", ttl: Self.long)
            #expect(try await nodes[0].presenceAll(room: "r") == alive)  // reaped, not just hidden
        }
    }
}
