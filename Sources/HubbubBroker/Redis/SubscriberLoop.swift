import Logging

/// The life of the subscriber thread. Thread-confined.
struct SubscriberLoop {
    let connection: SubscriberConnection
    var firstAttempt: (@Sendable (BrokerError?) -> Void)?
    var link: RedisLink
    /// Whether `.connected` was reported once (later ups are `.reconnected`).
    var everUp = false
    var lastReceived = ContinuousClock.now
    var pingSent: ContinuousClock.Instant?

    /// SUBSCRIBE and UNSUBSCRIBE name at most this many channels each.
    private static let channelsPerCommand = 512

    init(connection: SubscriberConnection, firstAttempt: @escaping @Sendable (BrokerError?) -> Void) {
        self.connection = connection
        self.firstAttempt = firstAttempt
        link = RedisLink(role: "subscriber", configuration: connection.configuration, logger: connection.logger)
    }

    mutating func run() {
        while true {
            if connection.withState({ $0.stopping }) {
                link.close()
                connection.updateReleasing { state in
                    state.table.removeAll()
                    return state.reset()
                }
                return
            }
            if let outcome = link.connectIfDue() {
                switch outcome {
                case .success:
                    connection.updateReleasing { $0.reset() }
                    lastReceived = .now
                    pingSent = nil
                case .failure(let error):
                    reportFirstAttempt(error)
                }
            }
            if let context = link.context {
                sync(context)
                checkUp()
            }
            if link.wait(wake: connection.wake, until: link.context == nil ? nil : nextPingCheck),
                let context = link.context
            {
                receive(context)
            }
            if let context = link.context { keepAlive(context) }
        }
    }

    /// Sends the SUBSCRIBE and UNSUBSCRIBE commands the subscriptions call for.
    private mutating func sync(_ context: RedisContext) {
        let (subscribe, unsubscribe) = connection.withState { $0.changes() }
        guard !subscribe.isEmpty || !unsubscribe.isEmpty else { return }
        let prefix = connection.channelPrefix
        do throws(BrokerError) {
            for (verb, channels) in [("SUBSCRIBE", subscribe), ("UNSUBSCRIBE", unsubscribe)] {
                var start = 0
                while start < channels.count {
                    let chunk = channels[start..<min(start + Self.channelsPerCommand, channels.count)]
                    try context.append(RedisCommand([verb] + chunk.map { prefix + $0 }))
                    start += chunk.count
                }
            }
            try context.flush()
        } catch {
            lose(error)
        }
    }

    private mutating func receive(_ context: RedisContext) {
        do throws(BrokerError) {
            try context.read()
            lastReceived = .now
            while let reply = try context.nextReply() {
                try handle(reply)
            }
        } catch {
            lose(error)
        }
        checkUp()
    }

    private mutating func handle(_ reply: RedisValue) throws(BrokerError) {
        if case .status("PONG") = reply {
            pingSent = nil
            return
        }
        guard let elements = reply.elements, let kind = elements.first?.text else {
            if case .error(let message) = reply { throw BrokerError(code: .server, message: "Redis subscriber: \(message)") }
            return
        }
        let prefix = connection.channelPrefix
        switch kind {
        case "message" where elements.count == 3:
            guard let name = elements[1].text, name.hasPrefix(prefix), let payload = elements[2].bytes else { return }
            connection.deliver(payload, on: String(name.dropFirst(prefix.count)))
        case "subscribe", "unsubscribe":
            guard elements.count == 3, let name = elements[1].text, name.hasPrefix(prefix) else { return }
            let channel = String(name.dropFirst(prefix.count))
            connection.updateReleasing { $0.confirmed(channel) }
        case "pong":
            pingSent = nil
        default:
            break
        }
    }

    /// Marks the link up (and says so) once connected with every subscription active.
    private mutating func checkUp() {
        guard link.isConnected else { return }
        let becameUp: Bool = connection.withState { state in
            guard !state.up, state.isSettled else { return false }
            state.up = true
            return true
        }
        guard becameUp else { return }
        connection.events.emit(everUp ? .reconnected : .connected)
        everUp = true
        reportFirstAttempt(nil)
    }

    /// When the next liveness check is due.
    private var nextPingCheck: ContinuousClock.Instant {
        if let pingSent { return pingSent + connection.configuration.commandTimeout }
        return lastReceived + connection.configuration.pingInterval
    }

    private mutating func keepAlive(_ context: RedisContext) {
        let now = ContinuousClock.now
        if let pingSent {
            guard now >= pingSent + connection.configuration.commandTimeout else { return }
            lose(BrokerError(code: .timeout, message: "Redis did not answer PING within \(connection.configuration.commandTimeout)"))
        } else if now >= lastReceived + connection.configuration.pingInterval {
            do throws(BrokerError) {
                try context.append(RedisCommand("PING"))
                try context.flush()
                pingSent = now
            } catch {
                lose(error)
            }
        }
    }

    /// The link is broken: waiters return, the state is reset, `.disconnected` is
    /// reported (once per outage), and the next connect is immediate.
    private mutating func lose(_ error: BrokerError) {
        link.drop(error)
        pingSent = nil
        let wasUp = connection.withState { $0.up }
        connection.updateReleasing { $0.reset() }
        if wasUp { connection.events.emit(.disconnected(reason: error.message)) }
    }

    private mutating func reportFirstAttempt(_ error: BrokerError?) {
        firstAttempt?(error)
        firstAttempt = nil
    }
}
