import Dispatch
import Synchronization

/// The receiving side of one ``MemoryBroker``: its subscriptions, and a serial queue
/// that calls their handlers one at a time, in the order messages were queued (the
/// memory counterpart of a Redis subscriber connection's thread).
final class MemoryInbox: Sendable {
    let subscriptions = Mutex(SubscriptionTable())
    private let delivery = DispatchQueue(label: "hubbub.broker.memory")

    func enqueue(_ payload: [UInt8], on channel: String) {
        delivery.async { [self] in
            let handlers = subscriptions.withLock { $0.handlers(channel) }
            for handler in handlers { handler(channel, payload) }
        }
    }
}
