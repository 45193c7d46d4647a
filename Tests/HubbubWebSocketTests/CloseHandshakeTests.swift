import HubbubWebSocket
import Testing

@Suite("Close handshake")
struct CloseHandshakeTests {
    @Test("peer-initiated: echoed, closed once, then nothing")
    func peerInitiated() {
        var connection = WebSocketConnection.make()
        let actions = connection.receive(Wire.close(4001, [UInt8]("done")))
        #expect(
            actions == [
                .send(Wire.close(4001, mask: nil)),
                .closed(code: WebSocketCloseCode(rawValue: 4001), reason: "done", initiatedByPeer: true), .closeSocket,
            ]
        )
        #expect(connection.state == .closed)
        #expect(!connection.canSendMessages)
        #expect(connection.encode(.text([UInt8]("late"))) == nil)
        #expect(connection.receive(Wire.close(1000)) == [])
        #expect(connection.close(code: .normalClosure, reason: "", now: 2) == [])
        #expect(connection.socketClosed() == [])
        #expect(connection.tick(now: .max) == [])
        #expect(connection.nextDeadline == nil)
    }

    @Test("we initiate: data ignored while closing, the peer's close completes it")
    func weInitiate() {
        var connection = WebSocketConnection.make(timeouts: WebSocketTimeouts(pingInterval: 0, idleTimeout: 0, closeTimeout: 5))
        #expect(connection.canSendMessages)
        let actions = connection.close(code: .goingAway, reason: "shutting down", now: 10)
        #expect(actions == [.send(Wire.close(1001, [UInt8]("shutting down"), mask: nil))])
        #expect(connection.state == .closing)
        #expect(!connection.canSendMessages)
        #expect(connection.encode(.binary([1])) == nil)
        #expect(connection.close(code: .normalClosure, reason: "again", now: 11) == [])
        // Data frames, including an unfinished message and a lone continuation, are ignored; pings too.
        #expect(connection.receive(Wire.text("x", fin: false) + Wire.continuation([1], fin: true) + Wire.ping([1]), now: 12) == [])
        #expect(
            connection.receive(Wire.close(1001, [UInt8]("ok")), now: 13) == [
                .closed(code: .goingAway, reason: "ok", initiatedByPeer: false), .closeSocket,
            ]
        )
        #expect(connection.state == .closed)
        #expect(connection.tick(now: 100) == [])
    }

    @Test("a partly received message is dropped when we close")
    func partialMessageDropped() {
        var connection = WebSocketConnection.make()
        #expect(connection.receive(Wire.text("part", fin: false)) == [])
        _ = connection.close(code: .normalClosure, reason: "", now: 2)
        #expect(connection.receive(Wire.continuation([UInt8]("rest"), fin: true)) == [])
    }

    @Test("framing errors while closing drop the connection without a second close frame")
    func errorWhileClosing() {
        var connection = WebSocketConnection.make()
        _ = connection.close(code: .normalClosure, reason: "", now: 2)
        let actions = connection.receive(Wire.frame(0x3, []))
        #expect(actions.count == 2)
        #expect(actions.first.map { if case .closed(.protocolError, _, false) = $0 { true } else { false } } == true)
        #expect(actions.last == .closeSocket)
    }

    @Test("an invalid close code is not sent: close() with 1005 sends an empty close frame")
    func closeWithLocalOnlyCode() {
        var connection = WebSocketConnection.make()
        #expect(connection.close(code: .noStatusReceived, reason: "dropped too", now: 0) == [.send([0x88, 0x00])])
    }

    @Test("client role: masked close, echo of the server's close")
    func clientRole() throws {
        var connection = WebSocketConnection.make(role: .client)
        let actions = connection.close(code: .normalClosure, reason: "bye", now: 0)
        #expect(actions == [.send(Wire.close(1000, [UInt8]("bye"), mask: Wire.connectionKey))])
        #expect(
            connection.receive(Wire.close(1000, mask: nil)) == [
                .closed(code: .normalClosure, reason: "", initiatedByPeer: false), .closeSocket,
            ]
        )
    }

    @Test("client role with the system generator: every frame masked, keys vary")
    func clientRandomKeys() throws {
        var connection = WebSocketConnection(role: .client, limits: WebSocketLimits(), timeouts: .disabled, now: 0)
        var keys: Set<[UInt8]> = []
        for _ in 0..<8 {
            let encoded = connection.encode(.text([UInt8]("hello")))
            let frame = try #require(encoded)
            let parsed = try #require(Wire.parse(frame))
            #expect(parsed.masked && parsed.payload == [UInt8]("hello") && parsed.opcode == 0x1)
            keys.insert(Array(frame[2..<6]))
        }
        #expect(keys.count > 1)
    }

    @Test("server role encodes unmasked frames, identical to the shared encoder's")
    func serverEncode() {
        var connection = WebSocketConnection.make()
        #expect(connection.encode(.text([UInt8]("hi"))) == WebSocketFrameEncoder.encode(opcode: .text, payload: [UInt8]("hi")))
        #expect(connection.encode(.binary([1, 2])) == Wire.binary([1, 2], mask: nil))
    }

    @Test("the socket closing underneath reports 1006 once")
    func socketClosed() {
        var open = WebSocketConnection.make()
        #expect(open.socketClosed() == [.closed(code: .abnormalClosure, reason: "connection lost", initiatedByPeer: true)])
        #expect(open.socketClosed() == [])
        #expect(open.state == .closed)

        var closing = WebSocketConnection.make()
        _ = closing.close(code: .normalClosure, reason: "", now: 0)
        #expect(closing.socketClosed() == [.closed(code: .abnormalClosure, reason: "connection lost", initiatedByPeer: false)])
    }
}
