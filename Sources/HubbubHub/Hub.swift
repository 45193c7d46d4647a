import HubbubBroker
import HubbubPresence
import HubbubIO
import HubbubOps
import HubbubStore
import HubbubWebSocket
import Logging

/// The hub: what every room and session of one node shares. Built once at start-up,
/// after the event loops exist; immutable afterwards (its tables lock themselves).
public final class Hub: Sendable {
    public let configuration: HubConfiguration
    let store: any Store
    let authenticator: Authenticator
    let logger: Logger
    /// One session table per event loop, indexed by loop index.
    let loops: [LoopSessions]
    let users = UserDirectory()
    let resumes: ResumeRegistry
    let rooms: RoomTable
    let committer: GroupCommitter
    let decoder: CommandDecoder
    let metrics: HubMetrics
    /// The link to the other nodes; nil on a node that runs alone (its own tables are then
    /// the whole truth).
    let cluster: Cluster?

    /// - Parameter broker: with a cluster configuration, makes this node one of several
    ///   sharing the broker (and the store); ``runCluster()`` must then run as a service.
    public init(
        configuration: HubConfiguration, store: any Store, authenticator: Authenticator, group: EventLoopGroup, logger: Logger,
        metrics: HubMetrics = HubMetrics(processMetrics: false),
        broker: (any Broker)? = nil, cluster clusterConfiguration: ClusterConfiguration? = nil
    ) {
        if let broker {
            cluster = Cluster(
                broker: broker, configuration: clusterConfiguration ?? ClusterConfiguration(nodeID: BrokerNodeID.unique()),
                logger: logger)
        } else {
            cluster = nil
        }
        self.metrics = metrics
        let gauge = metrics.rooms
        self.rooms = RoomTable { gauge.set(Int64($0)) }
        self.configuration = configuration
        self.store = store
        self.authenticator = authenticator
        self.logger = logger
        self.loops = group.loops.map(LoopSessions.init(loop:))
        self.resumes = ResumeRegistry(window: configuration.presence.gracePeriod)
        self.committer = GroupCommitter(store: store, maxBatch: configuration.maxCommitBatch, logger: logger)
        self.decoder = CommandDecoder(limits: configuration.commands)
    }

    /// The `/ws` endpoint.
    public var endpoint: HubEndpoint { HubEndpoint(hub: self) }

    /// The room of a project, created on first use on the loop its id hashes to.
    func room(_ id: String) -> Room {
        rooms.room(id) { id in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a: stable across runs, unlike hashValue
            for byte in id.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
            return Room(id: id, loop: loops[Int(hash % UInt64(loops.count))].loop, hub: self)
        }
    }

    /// Hands `delivery` to each session in `refs`: one hop per loop, none for the current one.
    func deliver(_ delivery: Delivery, to refs: [SessionRef]) {
        var byLoop: [Int: [UInt64]] = [:]
        for ref in refs { byLoop[ref.loop, default: []].append(ref.key) }
        for (loop, keys) in byLoop {
            loops[loop].onLoop { $0.deliver(delivery, to: keys) }
        }
    }

    /// One unmasked text frame holding `json`, ready to share between recipients.
    func textFrame(_ json: [UInt8]) -> ByteChunk {
        ByteChunk(WebSocketFrameEncoder.encode(opcode: .text, payload: json))
    }

    /// Rooms currently live (metrics, tests).
    public var roomCount: Int { rooms.count }
}
