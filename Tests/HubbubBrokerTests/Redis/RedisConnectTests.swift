import Foundation
import Glibc
import HubbubBroker
import Testing

/// Connecting: AUTH, SELECT, an unreachable server, a server that never answers.
@Suite("Redis broker: connect")
struct RedisConnectTests {
    @Test func authenticatesWithThePasswordOfTheURL() async throws {
        let server = try await RedisServer.start(password: "s3cret pass")
        defer { Task { try? await server.kill() } }
        let url = "redis://:s3cret%20pass@127.0.0.1:\(server.port)"
        let broker = try await RedisBroker.connect(configuration: RedisBrokerConfiguration(url: url), logger: testLogger)
        let inbox = Inbox()
        _ = try await broker.subscribe("c", handler: inbox.handler)
        try await broker.publish("hi".bytes, to: "c")
        #expect(await inbox.wait(for: 1))
        try await broker.heartbeat(node: "n", ttl: .seconds(5))
        #expect(try await broker.liveNodes() == ["n"])
        await broker.shutdown()

        for wrong in ["redis://:nope@127.0.0.1:\(server.port)", "redis://127.0.0.1:\(server.port)"] {
            let error = await caught {
                _ = try await RedisBroker.connect(configuration: RedisBrokerConfiguration(url: wrong), logger: testLogger)
            }
            #expect(error?.code == .authenticationFailed)
            #expect(error?.isRetryable == false)
        }
        try await server.kill()
    }

    @Test func selectsTheDatabaseOfTheURL() async throws {
        let server = try await RedisServer.shared()
        var two = try RedisBrokerConfiguration(url: server.url(database: 2))
        two.keyPrefix = "select-\(UUID().uuidString.prefix(8)):"
        var zero = two
        zero.url.database = 0
        let inTwo = try await RedisBroker.connect(configuration: two, logger: testLogger)
        let inZero = try await RedisBroker.connect(configuration: zero, logger: testLogger)
        try await inTwo.heartbeat(node: "n", ttl: .seconds(30))
        #expect(try await inTwo.liveNodes() == ["n"])
        #expect(try await inZero.liveNodes() == [])
        await inTwo.shutdown()
        await inZero.shutdown()

        var missing = two
        missing.url.database = 99_999
        let error = await caught { _ = try await RedisBroker.connect(configuration: missing, logger: testLogger) }
        #expect(error?.code == .invalidArgument)
    }

    @Test func failsFastWhenNothingListens() async throws {
        let port = try RedisServer.freeLoopbackPort()
        // A refused connection must not wait for the (long) connect timeout. The bound is
        // generous so a loaded machine cannot fail it; waiting for the timeout would.
        var configuration = try RedisBrokerConfiguration(url: "redis://127.0.0.1:\(port)")
        configuration.connectTimeout = .seconds(60)
        let started = ContinuousClock.now
        let error = await caught {
            _ = try await RedisBroker.connect(configuration: configuration, logger: testLogger)
        }
        #expect(error?.code == .unavailable)
        #expect(error?.isRetryable == true)
        #expect(ContinuousClock.now - started < .seconds(20))
    }

    /// A listener that never answers: the handshake's PING times out.
    @Test func timesOutOnASilentServer() async throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = RedisServer.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
                bind(fd, generic, length) == 0 && listen(fd, 8) == 0 && getsockname(fd, generic, &length) == 0
            }
        }
        try #require(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        var configuration = try RedisBrokerConfiguration(url: "redis://127.0.0.1:\(port)")
        // The handshake's PING is bounded by the connect timeout (2 s by default): the wait
        // ends with `.timeout` instead of hanging. The bound is generous so a loaded
        // machine cannot fail it.
        configuration.commandTimeout = .milliseconds(300)
        let started = ContinuousClock.now
        let error = await caught {
            _ = try await RedisBroker.connect(configuration: configuration, logger: testLogger)
        }
        #expect(error?.code == .timeout)
        #expect(error?.isRetryable == true)
        #expect(ContinuousClock.now - started < .seconds(30))
    }
}
