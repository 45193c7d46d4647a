import HubbubBroker
import HubbubOps
import Logging
import Synchronization

/// This node's link to the other nodes of its cluster, through a ``Broker``.
///
/// - Rooms: a room subscribes to `room:<id>` while it has local members. Its committed
///   events, presence changes and ephemerals are published there; the others' arrive
///   there (``Room/receive(_:)``).
/// - Users: personal messages (mentions) travel on one `personal` channel every node
///   subscribes to, each keeping those for its own users; the first connection of a user
///   on a node counts them online in the broker, so the e-mail queue's "offline" is
///   cluster-wide.
/// - Nodes: ``run(hub:)`` heartbeats, reaps dead nodes and has every room drop the
///   connections of nodes that are no longer alive; after a broker outage it registers
///   this node again and has every room recover what it missed.
///
/// Publishing never blocks the caller: messages go through one ordered queue (so one
/// connection's presence changes stay in order) drained by ``run(hub:)``.
final class Cluster: Sendable {
    let broker: any Broker
    let configuration: ClusterConfiguration
    let logger: Logger
    var nodeID: String { configuration.nodeID }

    /// What goes to the broker, in one order: a connection's presence entry is stored,
    /// announced and removed in the order it changed.
    private enum Outgoing: Sendable {
        case publish(channel: String, payload: [UInt8])
        case putPresence(room: String, connID: String, value: [UInt8])
        case removePresence(room: String, connID: String)
    }

    private let outbox: AsyncStream<Outgoing>
    private let outboxInput: AsyncStream<Outgoing>.Continuation
    /// The subscription to ``personalChannel`` (while ``run(hub:)`` runs).
    private let personal = Mutex<BrokerSubscription?>(nil)
    private let linkUp = Atomic<Bool>(true)
    /// Messages queued and not yet handed to the broker.
    private let queued = Atomic<Int>(0)
    /// Whether the broker link is up (readiness).
    var isLinkUp: Bool { linkUp.load(ordering: .relaxed) }
    /// When the broker link last came back.
    private let lastReconnect = Mutex<ContinuousClock.Instant?>(nil)

    init(broker: any Broker, configuration: ClusterConfiguration, logger: Logger) {
        self.broker = broker
        self.configuration = configuration
        self.logger = logger
        (outbox, outboxInput) = AsyncStream.makeStream(
            of: Outgoing.self, bufferingPolicy: .bufferingNewest(configuration.maxPublishQueue))
    }

    static func roomChannel(_ room: String) -> String { "room:" + room }
    /// Personal messages (mentions) for users on any node: every node subscribes once and
    /// keeps those for its own users. Mentions are rare next to room traffic, and one
    /// channel spares the broker a subscription per connected user.
    static let personalChannel = "personal"

    // MARK: Publishing

    /// Queues `message` for the room's channel (in order with every other publish).
    func publish(_ message: ClusterMessage, room: String) {
        enqueue(Self.roomChannel(room), message.encoded())
    }

    /// Queues an event's client message for the room's channel.
    func publishEvent(frame: [UInt8], room: String) {
        enqueue(Self.roomChannel(room), ClusterMessage.encodeEvent(frame: frame))
    }

    /// Queues a personal message for every connection of `userID` on the other nodes.
    func publishPersonal(frame: [UInt8], userID: String) {
        publishPersonal(.personal(node: nodeID, userID: userID, frame: frame))
    }

    /// Queues a message of the personal channel (a mention, a disconnect).
    func publishPersonal(_ message: ClusterMessage) {
        enqueue(Self.personalChannel, message.encoded())
    }

    private func enqueue(_ channel: String, _ payload: [UInt8]) {
        enqueue(.publish(channel: channel, payload: payload))
    }

    private func enqueue(_ outgoing: Outgoing) {
        queued.add(1, ordering: .relaxed)
        if case .dropped = outboxInput.yield(outgoing) { queued.subtract(1, ordering: .relaxed) }
    }

    /// Waits until the publish queue has been empty for a moment (the leaves of the
    /// connections a shutdown just closed), at most `timeout`: the other nodes then hear
    /// them as leaves with a grace period, so users who reconnect elsewhere do not flap.
    func drain(timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        var quietSince = ContinuousClock.now
        while ContinuousClock.now < deadline {
            if queued.load(ordering: .relaxed) > 0 { quietSince = .now }
            if ContinuousClock.now - quietSince >= .milliseconds(100) { return }
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Records a connection's presence in a room for nodes that load the room later.
    func storePresence(room: String, join: ClusterMessage.PresenceJoin) {
        enqueue(.putPresence(room: room, connID: join.connID, value: ClusterMessage.presenceJoin(join).encoded()))
    }

    func removePresence(room: String, connID: String) {
        enqueue(.removePresence(room: room, connID: connID))
    }

    /// The presence entries of other nodes in `room` (a room's snapshot when it loads).
    func remotePresence(room: String) async -> [ClusterMessage.PresenceJoin] {
        do throws(BrokerError) {
            return try await broker.presenceAll(room: room).compactMap { entry in
                guard entry.node != nodeID, case .presenceJoin(let join)? = ClusterMessage.decode(entry.value) else {
                    return nil
                }
                return join
            }
        } catch {
            logger.warning("cannot read the room's presence from the broker", metadata: ["room": "\(room)", "error": "\(error)"])
            return []
        }
    }

    // MARK: Online

    /// Whether the user has a connection on some live node (false when the broker cannot
    /// tell: an e-mail too many beats one lost).
    func isOnline(_ userID: String) async -> Bool {
        (try? await broker.isOnline(userID: userID)) ?? false
    }

    /// The user's first connection on this node arrived: count them online.
    func userArrived(_ userID: String) {
        let (broker, node) = (broker, nodeID)
        Task { try? await broker.userOnline(userID: userID, node: node) }
    }

    /// The user's last connection on this node left.
    func userLeft(_ userID: String) {
        let (broker, node) = (broker, nodeID)
        Task { try? await broker.userOffline(userID: userID, node: node) }
    }

    // MARK: Service


    /// Runs until cancelled: publishes the queue, heartbeats, watches the other nodes and
    /// the broker link. On cancellation this node leaves the cluster (its presence and
    /// online counts go at once, not after its ttl) and the broker shuts down.
    func run(hub: Hub) async {
        do throws(BrokerError) {
            let subscription = try await broker.subscribe(Self.personalChannel) { [weak hub] _, payload in
                hub?.receivePersonal(payload)
            }
            personal.withLock { $0 = subscription }
        } catch {
            logger.error("cannot subscribe to the personal channel: mentions from other nodes will not arrive", metadata: ["error": "\(error)"])
        }
        await withDiscardingTaskGroup { group in
            group.addTask { await self.publishLoop() }
            group.addTask { await self.heartbeatLoop(hub: hub) }
            group.addTask { await self.watchConnection(hub: hub) }
        }
        try? await broker.removeNode(nodeID)
        await broker.shutdown()
    }

    private func publishLoop() async {
        await withTaskCancellationHandler {
            for await outgoing in outbox {
                do throws(BrokerError) {
                    switch outgoing {
                    case .publish(let channel, let payload):
                        try await broker.publish(payload, to: channel)
                    case .putPresence(let room, let connID, let value):
                        try await broker.presencePut(room: room, node: nodeID, connID: connID, value: value)
                    case .removePresence(let room, let connID):
                        try await broker.presenceRemove(room: room, node: nodeID, connID: connID)
                    }
                } catch {
                    // Lost for the other nodes: they fill event gaps from the store, and
                    // presence is stored and announced again after the outage.
                    logger.debug("broker call failed", metadata: ["error": "\(error)"])
                }
                queued.subtract(1, ordering: .relaxed)
            }
        } onCancel: {
            outboxInput.finish()
        }
    }

    /// Heartbeats, reaps, and has the rooms drop the connections of dead nodes. A node
    /// counts as dead once missing from two checks in a row (a heartbeat racing the check
    /// is no death), and not in the ttl after an outage (every node is registering again).
    private func heartbeatLoop(hub: Hub) async {
        var previous: Set<String> = []
        while !Task.isCancelled {
            do throws(BrokerError) {
                try await broker.heartbeat(node: nodeID, ttl: configuration.nodeTTL)
                let dead = try await broker.reapDeadNodes()
                if !dead.isEmpty { logger.info("nodes died", metadata: ["nodes": "\(dead.joined(separator: ","))"]) }
                let live = try await broker.liveNodes()
                let settling = lastReconnect.withLock { $0.map { ContinuousClock.now < $0 + configuration.nodeTTL } ?? false }
                if !settling { await hub.dropConnections(ofNodesNotIn: live.union(previous)) }
                previous = live
            } catch {
                logger.debug("heartbeat failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(for: configuration.heartbeatInterval)
        }
    }

    private func watchConnection(hub: Hub) async {
        for await event in broker.connectionEvents() {
            if Task.isCancelled { return }
            switch event {
            case .connected:
                linkUp.store(true, ordering: .relaxed)
                hub.metrics.clusterBrokerUp.set(1)
            case .disconnected(let reason):
                linkUp.store(false, ordering: .relaxed)
                hub.metrics.clusterBrokerUp.set(0)
                logger.warning("cluster broker link lost", metadata: ["reason": "\(reason)"])
            case .reconnected:
                linkUp.store(true, ordering: .relaxed)
                hub.metrics.clusterBrokerUp.set(1)
                lastReconnect.withLock { $0 = .now }
                logger.info("cluster broker link back: registering this node again and recovering rooms")
                await reregister(hub: hub)
            }
        }
    }

    /// After an outage the broker may have lost everything (a Redis restart): this node's
    /// entries are replaced by what it holds now, and every room reads what it missed.
    private func reregister(hub: Hub) async {
        try? await broker.removeNode(nodeID)
        try? await broker.heartbeat(node: nodeID, ttl: configuration.nodeTTL)
        for userID in hub.users.userIDs {
            try? await broker.userOnline(userID: userID, node: nodeID)
        }
        await hub.recoverRooms()
    }
}
