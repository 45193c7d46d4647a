import Logging
import Synchronization

/// The broker of a cluster of hub nodes sharing one Redis server, on hiredis. See
/// ``Broker`` for the contract and docs/redis.md for what is stored where.
///
/// Two connections, each owned by a thread of its own: commands (publish, heartbeats,
/// online counts, presence; pipelined) and a subscriber (SUBSCRIBE, pushed messages).
/// Callers await continuations resumed by those threads; no Swift concurrency thread or
/// event loop ever waits on Redis. Both reconnect on their own with capped exponential
/// backoff; the subscriber resubscribes every channel and then reports
/// ``BrokerConnectionEvent/reconnected``.
///
/// Make one with ``connect(configuration:logger:)``; end it with ``shutdown()``, which
/// stops both threads (a broker dropped without it keeps them running).
public final class RedisBroker: Broker {
    public let configuration: RedisBrokerConfiguration
    let keys: RedisKeys
    private let commands: CommandConnection
    private let subscriber: SubscriberConnection
    private let events = ConnectionEventFanout(initial: .disconnected(reason: "connecting"))
    private let closed = Atomic(false)

    private init(configuration: RedisBrokerConfiguration, logger: Logger) throws(BrokerError) {
        self.configuration = configuration
        keys = RedisKeys(prefix: configuration.keyPrefix)
        commands = try CommandConnection(configuration: configuration, logger: logger)
        subscriber = try SubscriberConnection(configuration: configuration, events: events, logger: logger)
    }

    /// Starts the broker's threads and returns once both connections are up; when either
    /// first connect fails (server unreachable, wrong password, bad database), stops
    /// them and throws that error, so a misconfigured node fails at start.
    public static func connect(configuration: RedisBrokerConfiguration, logger: Logger) async throws(BrokerError)
        -> RedisBroker
    {
        let broker = try RedisBroker(configuration: configuration, logger: logger)
        let errors = await withCheckedContinuation { (continuation: CheckedContinuation<[BrokerError], Never>) in
            let gate = FirstAttemptGate(links: 2) { continuation.resume(returning: $0) }
            broker.commands.start { gate.report($0) }
            broker.subscriber.start { gate.report($0) }
        }
        if let error = errors.first {
            await broker.shutdown()
            throw error
        }
        logger.info("Redis broker connected", metadata: ["url": "\(configuration.url)"])
        return broker
    }

    // MARK: Pub/sub

    public func publish(_ payload: [UInt8], to channel: String) async throws(BrokerError) {
        try BrokerValidation.channel(channel)
        _ = try await run(RedisCommand(arguments: [Array("PUBLISH".utf8), Array((keys.channelPrefix + channel).utf8), payload]))
    }

    public func subscribe(_ channel: String, handler: @escaping BrokerMessageHandler) async throws(BrokerError)
        -> BrokerSubscription
    {
        try checkOpen()
        try BrokerValidation.channel(channel)
        guard let subscription = await subscriber.subscribe(channel, handler: handler) else { throw .shutdown }
        return subscription
    }

    public func unsubscribe(_ subscription: BrokerSubscription) async {
        subscriber.unsubscribe(subscription)
    }

    public func connectionEvents() -> AsyncStream<BrokerConnectionEvent> {
        events.stream()
    }

    // MARK: Life

    public func shutdown() async {
        guard !closed.exchange(true, ordering: .acquiringAndReleasing) else { return }
        await subscriber.shutdown()
        await commands.shutdown()
        events.finish()
    }

    // MARK: Commands

    private func checkOpen() throws(BrokerError) {
        if closed.load(ordering: .acquiring) { throw .shutdown }
    }

    /// Runs one command; an error reply throws ``BrokerError/Code/server``.
    func run(_ command: RedisCommand) async throws(BrokerError) -> RedisValue {
        try checkOpen()
        let replies = try await commands.execute([command])
        return try replies[0].checked(command.name)
    }

    /// Runs a script (``RedisScripts``) with its keys and arguments.
    func eval(_ script: String, keys: [String], arguments: [[UInt8]]) async throws(BrokerError) -> RedisValue {
        let head = [Array("EVAL".utf8), Array(script.utf8), Array(String(keys.count).utf8)]
        return try await run(RedisCommand(arguments: head + keys.map { Array($0.utf8) } + arguments))
    }
}
