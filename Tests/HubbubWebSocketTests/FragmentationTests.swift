import HubbubWebSocket
import Testing

@Suite("Fragmentation and incremental validation")
struct FragmentationTests {
    @Test("fragments with interleaved pings are reassembled, pings answered in order")
    func interleavedPings() {
        var connection = WebSocketConnection.make()
        #expect(connection.receive(Wire.text("Hel", fin: false)) == [])
        #expect(connection.receive(Wire.ping([1])) == [.send(Wire.pong([1], mask: nil))])
        #expect(connection.receive(Wire.continuation([UInt8]("l"), fin: false) + Wire.ping([2])) == [.send(Wire.pong([2], mask: nil))])
        #expect(connection.receive(Wire.continuation([UInt8]("o"), fin: true)) == [.deliver(.text([UInt8]("Hello")))])
        // The next message starts afresh.
        #expect(connection.receive(Wire.binary([9])) == [.deliver(.binary([9]))])
    }

    @Test("a thousand one-byte fragments")
    func manyFragments() {
        var connection = WebSocketConnection.make()
        var input = Wire.binary([0], fin: false)
        for index in 1..<999 { input += Wire.continuation([UInt8(truncatingIfNeeded: index)], fin: false) }
        input += Wire.continuation([UInt8(truncatingIfNeeded: 999)], fin: true)
        #expect(connection.receive(input) == [.deliver(.binary((0..<1000).map { UInt8(truncatingIfNeeded: $0) }))])
    }

    @Test("invalid UTF-8 fails on the fragment that contains it, not at the end (Autobahn 6.4.1/6.4.2)")
    func failFastAcrossFragments() {
        var connection = WebSocketConnection.make()
        #expect(connection.receive(Wire.frame(0x1, [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5], fin: false)) == [])
        #expect(connection.state == .open)
        expectFailure(connection.receive(Wire.continuation([0xF4, 0x90, 0x80, 0x80], fin: false)), code: .invalidPayloadData)
        #expect(connection.state == .closed)
        #expect(connection.receive(Wire.continuation([UInt8]("edited"), fin: true)) == [])
    }

    @Test("invalid UTF-8 fails in the middle of a frame as soon as its bytes arrive (Autobahn 6.4.3/6.4.4)")
    func failFastWithinAFrame() {
        let payload: [UInt8] = [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5] + [0xF4, 0x90, 0x80, 0x80]
            + [UInt8]("edited")
        let frame = Wire.frame(0x1, payload)
        let invalidAt = 6 + 11 + 1  // header, valid part, then 0x90 proves F4 wrong
        var connection = WebSocketConnection.make()
        #expect(connection.receive(Array(frame[..<invalidAt])) == [])
        expectFailure(connection.receive(Array(frame[invalidAt..<invalidAt + 1])), code: .invalidPayloadData)
    }

    @Test("a message ending inside a code point fails when its final frame ends")
    func truncatedAtEnd() {
        var connection = WebSocketConnection.make()
        #expect(connection.receive(Wire.frame(0x1, [0x41, 0xE2], fin: false)) == [])
        #expect(connection.receive(Wire.continuation([0x82], fin: false)) == [])
        expectFailure(connection.receive(Wire.continuation([], fin: true)), code: .invalidPayloadData)
    }

    @Test("binary messages are not UTF-8 validated")
    func binaryNotValidated() {
        var connection = WebSocketConnection.make()
        #expect(connection.receive(Wire.binary([0xFF, 0xC0, 0x80])) == [.deliver(.binary([0xFF, 0xC0, 0x80]))])
    }

    @Test("maxMessageSize counts every fragment and is checked at each header")
    func messageSize() {
        let limits = WebSocketLimits(maxFrameSize: 100, maxMessageSize: 10)
        var connection = WebSocketConnection.make(limits: limits)
        #expect(connection.receive(Wire.binary(ScenarioCorpus.bytes(4), fin: false)) == [])
        #expect(connection.receive(Wire.continuation(ScenarioCorpus.bytes(6), fin: false)) == [])  // exactly 10
        #expect(connection.receive(Wire.continuation([], fin: false)) == [])
        // Only the header of the next fragment: enough to know it is too big.
        let next = Wire.continuation([1], fin: true)
        expectFailure(connection.receive(Array(next[..<6])), code: .messageTooBig)

        var exact = WebSocketConnection.make(limits: limits)
        #expect(exact.receive(Wire.binary(ScenarioCorpus.bytes(10))) == [.deliver(.binary(ScenarioCorpus.bytes(10)))])
    }

    @Test("a control frame cannot start or end a message")
    func controlFramesDoNotTouchTheMessage() {
        var connection = WebSocketConnection.make()
        #expect(connection.receive(Wire.text("a", fin: false) + Wire.pong([]) + Wire.ping([])) == [.send(Wire.pong([], mask: nil))])
        expectFailure(connection.receive(Wire.binary([1])), code: .protocolError)
    }
}
