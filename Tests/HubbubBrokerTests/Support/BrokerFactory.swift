import Foundation
@testable import HubbubBroker
import Logging
import Testing

/// The implementations the contract suite runs against.
enum BrokerKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case memory
    case redis

    var testDescription: String { rawValue }

    /// `count` brokers acting as the nodes of one cluster: brokers on one
    /// ``MemoryBackplane``, or RedisBrokers on the shared server under a key prefix of
    /// their own (so tests running at once never see each other's keys or channels).
    func makeNodes(_ count: Int) async throws -> Nodes {
        switch self {
        case .memory:
            let backplane = MemoryBackplane()
            return Nodes((0..<count).map { _ in MemoryBroker(backplane: backplane) })
        case .redis:
            let server = try await RedisServer.shared()
            var configuration = try RedisBrokerConfiguration(url: server.url())
            configuration.keyPrefix = "t-\(UUID().uuidString.prefix(8)):"
            var brokers: [any Broker] = []
            for _ in 0..<count {
                brokers.append(try await RedisBroker.connect(configuration: configuration, logger: testLogger))
            }
            return Nodes(brokers)
        }
    }
}

let testLogger: Logger = {
    var logger = Logger(label: "hubbub.broker.tests")
    logger.logLevel = .critical
    return logger
}()

/// The brokers of one test; ``shutdown()`` stops them all.
struct Nodes: Sendable {
    let brokers: [any Broker]

    init(_ brokers: [any Broker]) {
        self.brokers = brokers
    }

    subscript(index: Int) -> any Broker { brokers[index] }

    func shutdown() async {
        for broker in brokers { await broker.shutdown() }
    }
}

/// Runs `body` with `count` fresh nodes of `kind`, and shuts them down afterwards
/// (also when `body` throws).
func withNodes(_ kind: BrokerKind, _ count: Int, _ body: (Nodes) async throws -> Void) async throws {
    let nodes = try await kind.makeNodes(count)
    do {
        try await body(nodes)
    } catch {
        await nodes.shutdown()
        throw error
    }
    await nodes.shutdown()
}
