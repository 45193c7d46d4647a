import HubbubBroker
import Synchronization
import Testing

@Suite("Node heartbeat")
struct NodeHeartbeatTests {
    /// Long enough that b's one beat is still current when checked on a loaded machine.
    static let ttl = Duration.seconds(3)

    @Test(arguments: BrokerKind.allCases)
    func keepsTheNodeAliveReapsTheDeadAndLeavesOnCancel(kind: BrokerKind) async throws {
        try await withNodes(kind, 2) { nodes in
            let reaped = Mutex<[String]>([])
            let heartbeat = NodeHeartbeat(
                broker: nodes[0], node: "a", ttl: Self.ttl, interval: .milliseconds(100), logger: testLogger
            ) { dead in reaped.withLock { $0 += dead } }
            await heartbeat.tick()
            let service = Task { await heartbeat.run() }

            try await nodes[1].heartbeat(node: "b", ttl: Self.ttl)  // b beats once, then "dies"
            #expect(try await nodes[1].liveNodes() == ["a", "b"])
            #expect(await eventually(timeout: .seconds(15)) { reaped.withLock { $0 } == ["b"] })
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
