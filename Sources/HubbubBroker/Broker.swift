/// What a hub node shares with the other nodes of its cluster: pub/sub channels for
/// room and user events, node liveness, who is online, and who is present in each room.
///
/// Implementations: ``MemoryBroker`` (one process, the default; several instances on
/// one ``MemoryBackplane`` act as several nodes) and ``RedisBroker`` (a Redis server
/// shared by every node). One contract test suite runs against both.
///
/// **Delivery.** Pub/sub is at-most-once, with no persistence and no replay: a message
/// is delivered to the subscriptions live on the receiving broker when the message
/// reaches it, once; messages published while a node is disconnected are lost to it.
/// The hub makes delivery exact itself: every room event carries its `seq`, the store
/// is the source of truth, and a gap (or a ``BrokerConnectionEvent/reconnected``) is
/// filled from the store; duplicates are dropped by `seq`.
///
/// **Order.** Messages from one broker instance reach each subscriber in the order the
/// publish calls were made on that instance (calls that do not overlap in time), across
/// all channels. Messages from different publishers interleave arbitrarily.
///
/// **Nodes.** A node id names one running process (make it unique per start, e.g.
/// host + pid + random); it must not be empty or contain a NUL. Online counts and
/// presence entries of a node count only while its heartbeat is current, so a node
/// killed with `kill -9` drops out of ``isOnline(userID:)`` and ``presenceAll(room:)``
/// by itself once its ttl passes; ``reapDeadNodes()`` then deletes what it left.
///
/// Every call is `async` and never blocks a Swift concurrency thread; after
/// ``shutdown()`` every call throws ``BrokerError/Code/shutdown``.
public protocol Broker: Sendable {
    // MARK: Pub/sub

    /// Publishes `payload` (any bytes) to `channel`. Returns once the broker has accepted
    /// it: every subscription whose ``subscribe(_:handler:)`` had returned before this
    /// call began (on any node) receives it unless its node disconnects first.
    /// During an outage it fails at once with a retryable ``BrokerError`` (`unavailable`,
    /// or `timeout` if the server stopped answering, in which case the message may still
    /// have been delivered).
    func publish(_ payload: [UInt8], to channel: String) async throws(BrokerError)

    /// Adds a subscription to `channel`; `handler` receives every message published to it
    /// from then on until ``unsubscribe(_:)``, including this node's own.
    ///
    /// Reference counted: the node subscribes to the channel on the server with the
    /// first live subscription and unsubscribes with the last, so the hub may subscribe
    /// once per room or once per local member. Returns once the channel is active on the
    /// server; while disconnected it returns at once, and the channel becomes active
    /// with the next ``BrokerConnectionEvent/reconnected``.
    func subscribe(_ channel: String, handler: @escaping BrokerMessageHandler) async throws(BrokerError)
        -> BrokerSubscription

    /// Ends a subscription (a second call for the same one does nothing). Its handler is
    /// not called for messages published after this returns; a call already under way
    /// may still finish. The last subscription of a channel unsubscribes the node from
    /// it on the server.
    func unsubscribe(_ subscription: BrokerSubscription) async

    /// A stream of connection changes, starting with the current state
    /// (``BrokerConnectionEvent/connected`` while connected, else
    /// ``BrokerConnectionEvent/disconnected(reason:)``); each call returns a new stream,
    /// finished at ``shutdown()``. Only the subscriber link counts: while it is lost,
    /// messages are lost.
    func connectionEvents() -> AsyncStream<BrokerConnectionEvent>

    // MARK: Nodes

    /// Marks `node` alive until `ttl` from now, by the server's clock (so nodes' clocks
    /// need not agree). A node heartbeats every ttl / 3 or so.
    func heartbeat(node: String, ttl: Duration) async throws(BrokerError)

    /// The nodes whose heartbeat has not expired.
    func liveNodes() async throws(BrokerError) -> Set<String>

    /// Deletes every node whose heartbeat expired, with its online counts and presence
    /// entries, and returns their ids. Atomic: when several nodes reap at once, each
    /// dead node is returned to exactly one of them.
    func reapDeadNodes() async throws(BrokerError) -> [String]

    /// Deletes `node` now (a graceful shutdown), with its online counts and presence
    /// entries.
    func removeNode(_ node: String) async throws(BrokerError)

    // MARK: Online

    /// Counts one more connection of `userID` on `node` (the user is online on every node).
    func userOnline(userID: String, node: String) async throws(BrokerError)

    /// Counts one connection fewer of `userID` on `node` (never below zero).
    func userOffline(userID: String, node: String) async throws(BrokerError)

    /// Whether `userID` has a connection on some node whose heartbeat is current.
    func isOnline(userID: String) async throws(BrokerError) -> Bool

    // MARK: Presence

    /// Sets the presence entry of connection `connID` of `node` in `room` to `value`
    /// (replacing an earlier one).
    func presencePut(room: String, node: String, connID: String, value: [UInt8]) async throws(BrokerError)

    /// Deletes that entry (nothing if there is none).
    func presenceRemove(room: String, node: String, connID: String) async throws(BrokerError)

    /// The entries of `room` whose node's heartbeat is current, sorted by node then connID.
    func presenceAll(room: String) async throws(BrokerError) -> [PresenceEntry]

    // MARK: Life

    /// Graceful shutdown: calls under way finish (within the command timeout), later ones
    /// throw ``BrokerError/Code/shutdown``; subscriptions end, event streams finish,
    /// connections close and the broker's threads exit before this returns. Idempotent.
    func shutdown() async
}

extension Broker {
    /// The service form: runs until the calling task is cancelled, then shuts the broker
    /// down gracefully.
    public func run() async {
        while !Task.isCancelled {
            try? await Task.sleep(for: .seconds(3600))
        }
        await shutdown()
    }
}
