import Glibc
import HubbubBroker
import Testing

/// A redis-server killed mid-stream and started again on the same port.
@Suite("Redis broker: restart")
struct RedisRestartTests {
    /// A wait that never ends fails the test instead of hanging the run.
    static let limit = Duration.seconds(90)

    @Test func reconnectsResubscribesAndReportsIt() async throws {
        try await withTimeLimit(Self.limit) { try await self.reconnectsResubscribesAndReportsItSteps() }
    }

    private func reconnectsResubscribesAndReportsItSteps() async throws {
        let server = try await RedisServer.start()
        var configuration = try RedisBrokerConfiguration(url: server.url())
        configuration.reconnectInitialDelay = .milliseconds(20)
        configuration.reconnectMaximumDelay = .milliseconds(200)
        configuration.pingInterval = .milliseconds(200)
        configuration.commandTimeout = .milliseconds(500)
        let subscriber = try await RedisBroker.connect(configuration: configuration, logger: testLogger)
        let publisher = try await RedisBroker.connect(configuration: configuration, logger: testLogger)
        let events = EventLog(subscriber.connectionEvents())
        #expect(await events.next() == .connected)

        let inbox = Inbox()
        let other = Inbox()
        _ = try await subscriber.subscribe("room:1", handler: inbox.handler)
        _ = try await subscriber.subscribe("room:2", handler: other.handler)
        for index in 0..<50 { try await publisher.publish("before \(index)".bytes, to: "room:1") }
        #expect(await inbox.wait(for: 50))

        try await server.kill()
        let lost = await events.next()
        guard case .disconnected = lost else {
            Issue.record("expected .disconnected, got \(String(describing: lost))")
            return
        }

        // During the outage a publish fails at once, with a retryable error.
        let error = await caught { try await publisher.publish("lost".bytes, to: "room:1") }
        #expect(error?.isRetryable == true)
        #expect(error?.code == .unavailable || error?.code == .timeout)
        #expect(await caught { try await subscriber.heartbeat(node: "n", ttl: .seconds(1)) }?.isRetryable == true)

        try await offloaded { try server.launch() }
        #expect(await events.next() == .reconnected)

        // Every channel is active again: later publishes arrive. The publisher's own link
        // may still be in its backoff: retry while the error is retryable.
        try await publishRetrying(publisher, "after".bytes, to: "room:1")
        try await publishRetrying(publisher, "after".bytes, to: "room:2")
        #expect(await inbox.wait(for: 51))
        #expect(await other.wait(for: 1))
        #expect(inbox.texts == (0..<50).map { "before \($0)" } + ["after"])
        #expect(other.texts == ["after"])

        await subscriber.shutdown()
        await publisher.shutdown()
        try await server.kill()
    }

    @Test func subscribingDuringAnOutageTakesEffectOnReconnect() async throws {
        try await withTimeLimit(Self.limit) { try await self.subscribingDuringAnOutageTakesEffectOnReconnectSteps() }
    }

    private func subscribingDuringAnOutageTakesEffectOnReconnectSteps() async throws {
        let server = try await RedisServer.start()
        var configuration = try RedisBrokerConfiguration(url: server.url())
        configuration.reconnectInitialDelay = .milliseconds(20)
        configuration.reconnectMaximumDelay = .milliseconds(200)
        let broker = try await RedisBroker.connect(configuration: configuration, logger: testLogger)
        let events = EventLog(broker.connectionEvents())
        #expect(await events.next() == .connected)

        try await server.kill()
        guard case .disconnected = await events.next() else {
            Issue.record("expected .disconnected")
            return
        }
        let inbox = Inbox()
        _ = try await broker.subscribe("late", handler: inbox.handler)  // returns at once while down
        try await offloaded { try server.launch() }
        #expect(await events.next() == .reconnected)
        try await publishRetrying(broker, "hello".bytes, to: "late")
        #expect(await inbox.wait(for: 1))
        await broker.shutdown()
        try await server.kill()
    }

    /// A server that stops answering without closing anything (a frozen process, a cut
    /// network): the subscriber's PING times out, commands time out, and the broker comes
    /// back once the server answers again.
    @Test func noticesASilentServerAndComesBack() async throws {
        try await withTimeLimit(Self.limit) { try await self.noticesASilentServerAndComesBackSteps() }
    }

    private func noticesASilentServerAndComesBackSteps() async throws {
        let server = try await RedisServer.start()
        var configuration = try RedisBrokerConfiguration(url: server.url())
        configuration.reconnectInitialDelay = .milliseconds(20)
        configuration.reconnectMaximumDelay = .milliseconds(200)
        configuration.pingInterval = .milliseconds(100)
        configuration.commandTimeout = .milliseconds(300)
        let broker = try await RedisBroker.connect(configuration: configuration, logger: testLogger)
        let events = EventLog(broker.connectionEvents())
        #expect(await events.next() == .connected)
        let inbox = Inbox()
        _ = try await broker.subscribe("c", handler: inbox.handler)

        server.signal(SIGSTOP)
        let started = ContinuousClock.now
        let error = await caught { try await broker.publish("frozen".bytes, to: "c") }
        #expect(error?.code == .timeout)
        guard case .disconnected = await events.next() else {
            Issue.record("expected .disconnected")
            server.signal(SIGCONT)
            return
        }
        // Noticed through the ping and command timeouts (300 ms), not a hang; the bound is
        // generous so a loaded machine cannot fail it.
        #expect(ContinuousClock.now - started < .seconds(30))

        server.signal(SIGCONT)
        #expect(await events.next() == .reconnected)
        try await publishRetrying(broker, "thawed".bytes, to: "c")
        #expect(await inbox.wait(for: 1))
        #expect(inbox.texts.last == "thawed")
        await broker.shutdown()
        try await server.kill()
    }

    private func publishRetrying(_ broker: RedisBroker, _ payload: [UInt8], to channel: String) async throws {
        let deadline = ContinuousClock.now + .seconds(5)
        while true {
            let error = await caught { try await broker.publish(payload, to: channel) }
            guard let error else { return }
            // (A `catch where` on the typed error crashes the 6.3 compiler.)
            guard error.isRetryable, ContinuousClock.now < deadline else { throw error }
            try await Task.sleep(for: .milliseconds(20))
        }
    }
}
