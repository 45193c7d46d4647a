import Synchronization

/// The in-process broker: a single node by default, or one of several nodes sharing a
/// ``MemoryBackplane``. Same contract as ``RedisBroker`` (see ``Broker``), without a
/// network: it never disconnects, so its only connection event is `.connected`.
public final class MemoryBroker: Broker {
    public let backplane: MemoryBackplane
    private let inbox = MemoryInbox()
    private let events = ConnectionEventFanout(initial: .connected)
    private let closed = Atomic(false)

    public init(backplane: MemoryBackplane = MemoryBackplane()) {
        self.backplane = backplane
    }

    private func checkOpen() throws(BrokerError) {
        if closed.load(ordering: .acquiring) { throw .shutdown }
    }

    // MARK: Pub/sub

    public func publish(_ payload: [UInt8], to channel: String) async throws(BrokerError) {
        try checkOpen()
        try BrokerValidation.channel(channel)
        backplane.publish(payload, to: channel)
    }

    public func subscribe(_ channel: String, handler: @escaping BrokerMessageHandler) async throws(BrokerError)
        -> BrokerSubscription
    {
        try checkOpen()
        try BrokerValidation.channel(channel)
        return inbox.subscriptions.withLock { table in
            let (subscription, isFirst) = table.add(channel, handler)
            if isFirst { backplane.attach(inbox, to: channel) }
            return subscription
        }
    }

    public func unsubscribe(_ subscription: BrokerSubscription) async {
        inbox.subscriptions.withLock { table in
            if table.remove(subscription) { backplane.detach(inbox, from: subscription.channel) }
        }
    }

    public func connectionEvents() -> AsyncStream<BrokerConnectionEvent> {
        events.stream()
    }

    // MARK: Nodes

    public func heartbeat(node: String, ttl: Duration) async throws(BrokerError) {
        try checkOpen()
        try BrokerValidation.node(node)
        try BrokerValidation.ttl(ttl)
        let deadline = backplane.now() + ttl
        backplane.cluster.withLock { $0.heartbeat(node, until: deadline) }
    }

    public func liveNodes() async throws(BrokerError) -> Set<String> {
        try checkOpen()
        let now = backplane.now()
        return backplane.cluster.withLock { $0.liveNodes(now: now) }
    }

    public func reapDeadNodes() async throws(BrokerError) -> [String] {
        try checkOpen()
        let now = backplane.now()
        return backplane.cluster.withLock { $0.reap(now: now) }
    }

    public func removeNode(_ node: String) async throws(BrokerError) {
        try checkOpen()
        try BrokerValidation.node(node)
        backplane.cluster.withLock { $0.remove(node) }
    }

    // MARK: Online

    public func userOnline(userID: String, node: String) async throws(BrokerError) {
        try checkOpen()
        try BrokerValidation.userID(userID)
        try BrokerValidation.node(node)
        backplane.cluster.withLock { $0.userOnline(userID, node: node) }
    }

    public func userOffline(userID: String, node: String) async throws(BrokerError) {
        try checkOpen()
        try BrokerValidation.userID(userID)
        try BrokerValidation.node(node)
        backplane.cluster.withLock { $0.userOffline(userID, node: node) }
    }

    public func isOnline(userID: String) async throws(BrokerError) -> Bool {
        try checkOpen()
        try BrokerValidation.userID(userID)
        let now = backplane.now()
        return backplane.cluster.withLock { $0.isOnline(userID, now: now) }
    }

    // MARK: Presence

    public func presencePut(room: String, node: String, connID: String, value: [UInt8]) async throws(BrokerError) {
        try checkOpen()
        try BrokerValidation.room(room)
        try BrokerValidation.node(node)
        backplane.cluster.withLock { $0.presencePut(room: room, node: node, connID: connID, value: value) }
    }

    public func presenceRemove(room: String, node: String, connID: String) async throws(BrokerError) {
        try checkOpen()
        try BrokerValidation.room(room)
        try BrokerValidation.node(node)
        backplane.cluster.withLock { $0.presenceRemove(room: room, node: node, connID: connID) }
    }

    public func presenceAll(room: String) async throws(BrokerError) -> [PresenceEntry] {
        try checkOpen()
        try BrokerValidation.room(room)
        let now = backplane.now()
        return backplane.cluster.withLock { $0.presenceAll(room: room, now: now) }
    }

    // MARK: Life

    public func shutdown() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        inbox.subscriptions.withLock { table in
            for channel in table.activeChannels { backplane.detach(inbox, from: channel) }
            table.removeAll()
        }
        events.finish()
    }
}
