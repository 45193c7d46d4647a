import HubbubBroker
import Synchronization
import Testing

@Suite("Node heartbeat")
struct NodeHeartbeatTests {
    @Test(arguments: BrokerKind.allCases)
    func keepsTheNodeAliveReapsTheDeadAndLeavesOnCancel(kind: BrokerKind) async throws {
        try await withNodes(kind, 2) { nodes in
            let reaped = Mutex<[String]>([])
            let heartbeat = NodeHeartbeat(
                broker: nodes[0], node: "a", ttl: .milliseconds(900), interval: .milliseconds(100), logger: testLogger
            ) { dead in reaped.withLock { $0 += dead } }
            await heartbeat.tick()
            let service = Task { await heartbeat.run() }

            try await nodes[1].heartbeat(node: "b", ttl: .milliseconds(900))  // b beats once, then "dies"
            #expect(try await nodes[1].liveNodes() == ["a", "b"])
            #expect(await eventually { reaped.withLock { $0 } == ["b"] })
            #expect(try await nodes[1].liveNodes() == ["a"])  // a outlived its ttl: kept alive

            service.cancel()
            await service.value
            #expect(try await nodes[1].liveNodes() == [])  // a left gracefully
        }
    }

    @Test func nodeIDsAreUnique() {
        let ids = Set((0..<100).map { _ in BrokerNodeID.unique() })
        #expect(ids.count == 100)
        #expect(ids.allSatisfy { !$0.isEmpty && !$0.contains("\u{0}") })
    }
}
