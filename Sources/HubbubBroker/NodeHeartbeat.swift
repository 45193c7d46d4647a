import Logging

/// Keeps one node alive in the cluster and reaps dead ones: a service that, every
/// `interval`, heartbeats `node` with `ttl` and calls ``Broker/reapDeadNodes()``,
/// handing the nodes it reaped to `onDeadNodes` (the hub announces their users' leaves).
/// Broker errors are logged and the next tick tries again.
///
/// ``run()`` runs until the calling task is cancelled, then removes the node
/// (``Broker/removeNode(_:)``: a graceful leave, so the others need not wait out its ttl).
/// With `interval` a third of `ttl` a node survives two lost heartbeats; a killed node's
/// entries stop counting within `ttl` and are reaped within `ttl + interval`.
public struct NodeHeartbeat: Sendable {
    public let broker: any Broker
    public let node: String
    public let ttl: Duration
    public let interval: Duration
    public let logger: Logger
    public let onDeadNodes: @Sendable ([String]) -> Void

    public init(
        broker: any Broker, node: String, ttl: Duration = .seconds(3), interval: Duration? = nil, logger: Logger,
        onDeadNodes: @escaping @Sendable ([String]) -> Void
    ) {
        self.broker = broker
        self.node = node
        self.ttl = ttl
        self.interval = interval ?? ttl / 3
        self.logger = logger
        self.onDeadNodes = onDeadNodes
    }

    /// One heartbeat and one reap (the first tick, and tests).
    public func tick() async {
        do throws(BrokerError) {
            try await broker.heartbeat(node: node, ttl: ttl)
            let dead = try await broker.reapDeadNodes()
            if !dead.isEmpty {
                logger.info("nodes died", metadata: ["nodes": "\(dead.joined(separator: ","))"])
                onDeadNodes(dead)
            }
        } catch {
            logger.warning("node heartbeat failed", metadata: ["node": "\(node)", "error": "\(error)"])
        }
    }

    public func run() async {
        while !Task.isCancelled {
            await tick()
            try? await Task.sleep(for: interval)
        }
        do throws(BrokerError) {
            try await broker.removeNode(node)
        } catch {
            logger.warning("could not remove the node on shutdown", metadata: ["node": "\(node)", "error": "\(error)"])
        }
    }
}
