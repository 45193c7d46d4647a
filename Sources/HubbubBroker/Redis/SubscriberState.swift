/// What the subscriber connection's thread shares with callers: the subscriptions, what
/// the server has been asked for, and who waits for a channel to become active. Pure
/// state, guarded by the ``SubscriberConnection``'s lock.
///
/// A channel is active when it is in ``intended`` (its last command to the server was
/// SUBSCRIBE) and no reply for it is outstanding: Redis answers SUBSCRIBE and
/// UNSUBSCRIBE in order, one reply per channel, so once every reply is in, the server's
/// state is the intended one.
struct SubscriberState {
    var table = SubscriptionTable()
    /// Channels the server was last asked to subscribe to, on the current connection.
    var intended: Set<String> = []
    /// Channel → SUBSCRIBE/UNSUBSCRIBE replies still due.
    var outstanding: [String: Int] = [:]
    /// Connected and every subscription active once since (the broker is "connected").
    var up = false
    /// Callers of subscribe waiting for their channel to become active.
    var waiters: [String: [@Sendable () -> Void]] = [:]
    var stopping = false

    func isActive(_ channel: String) -> Bool {
        intended.contains(channel) && outstanding[channel, default: 0] == 0
    }

    /// The commands that bring the server to the subscriptions: channels to subscribe to
    /// and to unsubscribe from. Counts their replies as outstanding.
    mutating func changes() -> (subscribe: [String], unsubscribe: [String]) {
        let desired = table.activeChannels
        let subscribe = desired.subtracting(intended).sorted()
        let unsubscribe = intended.subtracting(desired).sorted()
        for channel in subscribe + unsubscribe { outstanding[channel, default: 0] += 1 }
        intended = desired
        return (subscribe, unsubscribe)
    }

    /// A SUBSCRIBE or UNSUBSCRIBE reply for `channel` arrived; returns the waiters it releases.
    mutating func confirmed(_ channel: String) -> [@Sendable () -> Void] {
        if let count = outstanding[channel] { outstanding[channel] = count > 1 ? count - 1 : nil }
        return releaseSettledWaiters()
    }

    /// Waiters whose channel is active, or no longer wanted.
    mutating func releaseSettledWaiters() -> [@Sendable () -> Void] {
        var released: [@Sendable () -> Void] = []
        for (channel, list) in waiters where isActive(channel) || !table.contains(channel) {
            released += list
            waiters[channel] = nil
        }
        return released
    }

    /// Whether every subscription is active (the moment the link counts as up again).
    var isSettled: Bool { outstanding.isEmpty && intended == table.activeChannels }

    /// A new (or no) connection: the server knows nothing of us. Returns every waiter.
    mutating func reset() -> [@Sendable () -> Void] {
        intended = []
        outstanding = [:]
        up = false
        defer { waiters = [:] }
        return waiters.values.flatMap { $0 }
    }
}
