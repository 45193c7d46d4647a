import Synchronization

/// What the ``MemoryBroker``s of one process share, standing in for a Redis server:
/// channel routing, node heartbeats, online counts and presence. One backplane with one
/// broker is a single node (the default); several brokers on one backplane are several
/// nodes in one process (tests).
///
/// Time comes from the clock given to ``init(clock:)`` so heartbeat expiry can be
/// tested without sleeping.
public final class MemoryBackplane: Sendable {
    /// Time since the backplane was made, by its clock.
    let now: @Sendable () -> Duration
    let cluster: Mutex<MemoryClusterState>
    /// Channel → inbox of each broker subscribed to it.
    private let routes = Mutex<[String: [ObjectIdentifier: MemoryInbox]]>([:])

    public convenience init() {
        self.init(clock: ContinuousClock())
    }

    public init<C: Clock>(clock: C) where C.Duration == Duration, C: Sendable {
        let origin = clock.now
        now = { origin.duration(to: clock.now) }
        cluster = Mutex(MemoryClusterState())
    }

    func attach(_ inbox: MemoryInbox, to channel: String) {
        routes.withLock { $0[channel, default: [:]][ObjectIdentifier(inbox)] = inbox }
    }

    func detach(_ inbox: MemoryInbox, from channel: String) {
        routes.withLock { routes in
            routes[channel]?[ObjectIdentifier(inbox)] = nil
            if routes[channel]?.isEmpty == true { routes[channel] = nil }
        }
    }

    /// Queues the message on every subscribed inbox, under the routing lock so that
    /// one publisher's messages are queued everywhere in the order it published them.
    func publish(_ payload: [UInt8], to channel: String) {
        routes.withLock { routes in
            guard let inboxes = routes[channel] else { return }
            for inbox in inboxes.values { inbox.enqueue(payload, on: channel) }
        }
    }
}
