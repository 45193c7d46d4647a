import HubbubWebSocket
import Testing

@Suite("Timers")
struct TimerTests {
    static let second: UInt64 = 1_000_000_000
    static let timeouts = WebSocketTimeouts(pingInterval: 20 * second, idleTimeout: 60 * second, closeTimeout: 5 * second)
    static let ping = Wire.ping([], mask: nil)

    @Test("defaults")
    func defaults() {
        let timeouts = WebSocketTimeouts()
        #expect(timeouts.pingInterval == 20 * Self.second)
        #expect(timeouts.idleTimeout == 60 * Self.second)
        #expect(timeouts.closeTimeout == 5 * Self.second)
        let limits = WebSocketLimits()
        #expect(limits.maxFrameSize == 1 << 20 && limits.maxMessageSize == 1 << 20)
    }

    @Test("a ping is sent once per interval of silence")
    func pingAtInterval() {
        let start = 1000 * Self.second
        var connection = WebSocketConnection.make(timeouts: Self.timeouts, now: start)
        #expect(connection.nextDeadline == start + 20 * Self.second)
        #expect(connection.tick(now: start + 20 * Self.second - 1) == [])
        #expect(connection.tick(now: start + 20 * Self.second) == [.send(Self.ping)])
        #expect(connection.tick(now: start + 20 * Self.second) == [])
        #expect(connection.nextDeadline == start + 40 * Self.second)
        #expect(connection.tick(now: start + 40 * Self.second) == [.send(Self.ping)])
        // Anything received pushes the next ping back a whole interval.
        _ = connection.receive(Wire.pong([]), now: start + 45 * Self.second)
        #expect(connection.nextDeadline == start + 65 * Self.second)
        #expect(connection.tick(now: start + 64 * Self.second) == [])
        #expect(connection.tick(now: start + 65 * Self.second) == [.send(Self.ping)])
    }

    @Test("a client's keep-alive ping is masked")
    func clientPing() {
        var connection = WebSocketConnection.make(role: .client, timeouts: Self.timeouts)
        #expect(connection.tick(now: 20 * Self.second) == [.send(Wire.ping([], mask: Wire.connectionKey))])
    }

    @Test("a silent peer is dropped at the idle timeout; any receive resets it")
    func idleDrop() {
        var connection = WebSocketConnection.make(timeouts: Self.timeouts, now: 0)
        _ = connection.receive([], now: 30 * Self.second)  // even an empty read is activity
        #expect(connection.tick(now: 60 * Self.second).sentBytes == [Self.ping])
        #expect(connection.tick(now: 90 * Self.second - 1).allSatisfy { $0 != .closeSocket })
        #expect(connection.nextDeadline == 90 * Self.second)
        #expect(
            connection.tick(now: 90 * Self.second) == [
                .closed(code: .abnormalClosure, reason: "idle timeout", initiatedByPeer: false), .closeSocket,
            ]
        )
        #expect(connection.state == .closed)
        #expect(connection.nextDeadline == nil)
        #expect(connection.tick(now: 200 * Self.second) == [])
    }

    @Test("the close timeout drops a peer that never answers our close")
    func closeTimeout() {
        var connection = WebSocketConnection.make(timeouts: Self.timeouts, now: 0)
        _ = connection.close(code: .normalClosure, reason: "", now: 10 * Self.second)
        #expect(connection.nextDeadline == 15 * Self.second)
        #expect(connection.tick(now: 15 * Self.second - 1) == [])
        // Data from the peer does not postpone it.
        #expect(connection.receive(Wire.text("still talking"), now: 14 * Self.second) == [])
        #expect(connection.nextDeadline == 15 * Self.second)
        #expect(
            connection.tick(now: 15 * Self.second) == [
                .closed(code: .abnormalClosure, reason: "close timeout", initiatedByPeer: false), .closeSocket,
            ]
        )
        #expect(connection.receive(Wire.close(1000), now: 16 * Self.second) == [])
    }

    @Test("no pings while closing")
    func noPingWhileClosing() {
        var connection = WebSocketConnection.make(timeouts: Self.timeouts, now: 0)
        _ = connection.close(code: .normalClosure, reason: "", now: 19 * Self.second)
        #expect(connection.tick(now: 21 * Self.second) == [])
    }

    @Test("disabled timers schedule nothing")
    func disabled() {
        var connection = WebSocketConnection.make(timeouts: .disabled, now: 0)
        #expect(connection.nextDeadline == nil)
        #expect(connection.tick(now: .max) == [])
        _ = connection.close(code: .normalClosure, reason: "", now: 0)
        #expect(connection.nextDeadline == nil)
        #expect(connection.tick(now: .max) == [])
        #expect(connection.state == .closing)
    }

    @Test("deadlines near the end of time saturate instead of wrapping")
    func saturation() {
        var connection = WebSocketConnection.make(timeouts: Self.timeouts, now: .max - Self.second)
        #expect(connection.nextDeadline == .max)
        #expect(connection.tick(now: .max - 1) == [])
    }
}
