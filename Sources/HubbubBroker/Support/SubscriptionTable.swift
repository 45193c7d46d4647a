/// The subscriptions of one broker: channel → live subscriptions and their handlers.
/// Pure state (the broker guards it with its lock); it decides when the broker must
/// subscribe to a channel on the server (first subscription) and unsubscribe (last).
struct SubscriptionTable {
    private var channels: [String: [UInt64: BrokerMessageHandler]] = [:]
    private var nextID: UInt64 = 1

    /// Adds a subscription; `isFirst` when the channel had none.
    mutating func add(_ channel: String, _ handler: @escaping BrokerMessageHandler)
        -> (subscription: BrokerSubscription, isFirst: Bool)
    {
        let id = nextID
        nextID += 1
        let isFirst = channels[channel] == nil
        channels[channel, default: [:]][id] = handler
        return (BrokerSubscription(channel: channel, id: id), isFirst)
    }

    /// Removes a subscription; `true` when it was the channel's last.
    mutating func remove(_ subscription: BrokerSubscription) -> Bool {
        guard var handlers = channels[subscription.channel], handlers.removeValue(forKey: subscription.id) != nil
        else { return false }
        if handlers.isEmpty {
            channels[subscription.channel] = nil
            return true
        }
        channels[subscription.channel] = handlers
        return false
    }

    /// The handlers of `channel`, in subscription order.
    func handlers(_ channel: String) -> [BrokerMessageHandler] {
        guard let handlers = channels[channel] else { return [] }
        return handlers.sorted { $0.key < $1.key }.map(\.value)
    }

    /// Every channel with a live subscription.
    var activeChannels: Set<String> { Set(channels.keys) }

    func contains(_ channel: String) -> Bool { channels[channel] != nil }

    mutating func removeAll() { channels.removeAll() }
}
