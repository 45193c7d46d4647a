import Foundation
import Logging
import Synchronization

/// The subscriber connection of a ``RedisBroker``: one thread of its own owns a
/// connection in subscriber mode, keeps the server's subscriptions equal to the
/// broker's (SUBSCRIBE / UNSUBSCRIBE as they change, every channel again after a
/// reconnect), reads pushed messages and calls the handlers, in the order the server
/// sent them, one at a time.
///
/// It reports the link's state: ``BrokerConnectionEvent/connected`` (or `reconnected`)
/// once connected and every channel active, `disconnected` when the link is lost. It
/// sends `PING` after ``RedisBrokerConfiguration/pingInterval`` of silence and gives the
/// link up when the answer takes longer than the command timeout.
final class SubscriberConnection: Sendable {
    private let shared = Mutex(SubscriberState())
    private let exit = Mutex<(exited: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))
    let wake: WakePipe
    let configuration: RedisBrokerConfiguration
    let logger: Logger
    let events: ConnectionEventFanout
    /// Full Redis channel names are this prefix and the broker's channel name.
    let channelPrefix: String

    init(configuration: RedisBrokerConfiguration, events: ConnectionEventFanout, logger: Logger) throws(BrokerError) {
        self.configuration = configuration
        self.events = events
        self.logger = logger
        channelPrefix = RedisKeys(prefix: configuration.keyPrefix).channelPrefix
        wake = try WakePipe()
    }

    /// Starts the thread; `firstAttempt` gets the outcome of its first connect (success
    /// once the link is up).
    func start(firstAttempt: @escaping @Sendable (BrokerError?) -> Void) {
        let thread = Thread { [self] in
            var loop = SubscriberLoop(connection: self, firstAttempt: firstAttempt)
            loop.run()
            finishExit()
        }
        thread.name = "hubbub-redis-subscriber"
        thread.start()
    }

    // MARK: Callers

    /// Adds a subscription; returns once its channel is active, or at once while the link
    /// is down; `nil` after shutdown.
    func subscribe(_ channel: String, handler: @escaping BrokerMessageHandler) async -> BrokerSubscription? {
        await withCheckedContinuation { (continuation: CheckedContinuation<BrokerSubscription?, Never>) in
            let (result, isFirst): (BrokerSubscription??, Bool) = shared.withLock { state in
                guard !state.stopping else { return (.some(nil), false) }
                let (subscription, isFirst) = state.table.add(channel, handler)
                guard state.up, !state.isActive(channel) else { return (subscription, isFirst) }
                state.waiters[channel, default: []].append { continuation.resume(returning: subscription) }
                return (nil, isFirst)
            }
            if isFirst { wake.wake() }
            if let result { continuation.resume(returning: result) }
        }
    }

    func unsubscribe(_ subscription: BrokerSubscription) {
        let wasLast = shared.withLock { $0.table.remove(subscription) }
        if wasLast { wake.wake() }
    }

    /// Ends every subscription, closes the connection and waits for the thread.
    func shutdown() async {
        shared.withLock { $0.stopping = true }
        wake.wake()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let exited = exit.withLock { exit in
                if !exit.exited { exit.waiters.append(continuation) }
                return exit.exited
            }
            if exited { continuation.resume() }
        }
    }

    private func finishExit() {
        let waiters = exit.withLock { exit in
            exit.exited = true
            defer { exit.waiters.removeAll() }
            return exit.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    // MARK: Thread side

    /// Runs `body` on the shared state under the lock, then calls the waiters it returns.
    func updateReleasing(_ body: (inout SubscriberState) -> [@Sendable () -> Void]) {
        let released = shared.withLock { body(&$0) }
        for waiter in released { waiter() }
    }

    func withState<T>(_ body: (inout SubscriberState) -> T) -> T {
        shared.withLock { body(&$0) }
    }

    /// Calls the handlers of `channel` (the broker's name) with a message.
    func deliver(_ payload: [UInt8], on channel: String) {
        let handlers = shared.withLock { $0.table.handlers(channel) }
        for handler in handlers { handler(channel, payload) }
    }
}
