/// Receives the messages of a subscription: the channel (as given to
/// ``Broker/subscribe(_:handler:)``) and the payload, byte for byte as published.
///
/// Called on a broker thread (never a Swift concurrency thread, never an event loop),
/// one call at a time per broker; it must return quickly and never block: hand the bytes
/// to your own loop or queue.
public typealias BrokerMessageHandler = @Sendable (_ channel: String, _ payload: [UInt8]) -> Void

/// One subscription to one channel, returned by ``Broker/subscribe(_:handler:)`` and
/// ended by ``Broker/unsubscribe(_:)``. Several subscriptions may share a channel: the
/// broker holds the channel while any of them is live.
public struct BrokerSubscription: Sendable, Hashable {
    public let channel: String
    /// Unique within the broker that made it.
    let id: UInt64
}
