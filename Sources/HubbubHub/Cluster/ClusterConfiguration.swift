/// How a node takes part in a cluster (`hubbub serve --redis-url`).
public struct ClusterConfiguration: Sendable {
    /// This node's id, unique per process start (``HubbubBroker/BrokerNodeID/unique()``).
    public var nodeID: String
    /// How long a room waits for a missing event from another node before reading it from
    /// the store.
    public var gapTimeout: Duration = .milliseconds(200)
    /// A node whose heartbeat is older than this is dead: its users' leaves are announced.
    public var nodeTTL: Duration = .milliseconds(1500)
    /// How often the node heartbeats and checks the others (a third of the ttl or less).
    public var heartbeatInterval: Duration = .milliseconds(500)
    /// Messages waiting to be published to the broker; past it the oldest are dropped
    /// (events are recovered from the store, presence at the next reconnect).
    public var maxPublishQueue = 100_000

    public init(nodeID: String) {
        self.nodeID = nodeID
    }
}
