import Glibc
import HubbubBroker
import HubbubHub
import Logging

/// The broker and cluster settings of `hubbub serve`: none without `--redis-url` (or
/// `$HUBBUB_REDIS_URL`), and the node runs alone.
struct ClusterSetup {
    static let environmentVariable = "HUBBUB_REDIS_URL"

    let broker: RedisBroker
    let configuration: ClusterConfiguration

    /// Connects to Redis (failing at start-up if it cannot: a node never starts outside
    /// its cluster); nil when no Redis URL is configured.
    static func connect(options: HubOptions, logger: Logger) async throws -> ClusterSetup? {
        guard let url = options.redisURL ?? getenv(environmentVariable).map({ String(cString: $0) }), !url.isEmpty else {
            return nil
        }
        let brokerConfiguration = try RedisBrokerConfiguration(url: url)
        let broker = try await RedisBroker.connect(configuration: brokerConfiguration, logger: logger)
        // A given id gets a random suffix per start: a node restarted faster than the
        // others notice its death is never taken for its previous life (whose
        // connections they must drop).
        let nodeID = options.nodeID.map { "\($0)." + String(UInt32.random(in: 0...UInt32.max), radix: 16) } ?? BrokerNodeID.unique()
        var configuration = ClusterConfiguration(nodeID: nodeID)
        configuration.nodeTTL = .nanoseconds(Int64(options.clusterNodeTtl.nanoseconds))
        configuration.heartbeatInterval = .nanoseconds(Int64(options.clusterHeartbeat.nanoseconds))
        configuration.gapTimeout = .nanoseconds(Int64(options.clusterGapTimeout.nanoseconds))
        // The first heartbeat, before this node serves anyone: the others must see it alive
        // before its connections appear in their rooms.
        try await broker.heartbeat(node: configuration.nodeID, ttl: configuration.nodeTTL)
        return ClusterSetup(broker: broker, configuration: configuration)
    }
}
