import HubbubWebSocket
import Testing

@Suite("Frame encoder")
struct FrameEncoderTests {
    @Test("RFC 6455 5.7 examples")
    func rfcExamples() {
        let hello = [UInt8]("Hello")
        #expect(WebSocketFrameEncoder.encode(opcode: .text, payload: hello) == [0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F])
        #expect(
            WebSocketFrameEncoder.encode(opcode: .text, payload: hello, maskKey: 0x37FA_213D)
                == [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]
        )
        #expect(WebSocketFrameEncoder.encode(opcode: .text, payload: [UInt8]("Hel"), fin: false) == [0x01, 0x03, 0x48, 0x65, 0x6C])
        #expect(WebSocketFrameEncoder.encode(opcode: .continuation, payload: [UInt8]("lo")) == [0x80, 0x02, 0x6C, 0x6F])
        #expect(
            WebSocketFrameEncoder.encode(opcode: .pong, payload: hello, maskKey: 0x37FA_213D)
                == [0x8A, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58]
        )
        let small = [UInt8](repeating: 1, count: 256)
        #expect(WebSocketFrameEncoder.encode(opcode: .binary, payload: small) == [0x82, 0x7E, 0x01, 0x00] + small)
        let large = [UInt8](repeating: 2, count: 65536)
        expectEqual(WebSocketFrameEncoder.encode(opcode: .binary, payload: large), [0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0] + large)
    }

    @Test("matches the reference builder at every length boundary, masked or not", arguments: [0, 1, 125, 126, 127, 65535, 65536])
    func lengths(length: Int) {
        let payload = ScenarioCorpus.bytes(length)
        expectEqual(WebSocketFrameEncoder.encode(opcode: .binary, payload: payload), Wire.frame(0x2, payload, mask: nil))
        expectEqual(
            WebSocketFrameEncoder.encode(opcode: .binary, payload: payload, maskKey: 0xDEAD_BEEF),
            Wire.frame(0x2, payload, mask: 0xDEAD_BEEF)
        )
    }

    @Test("header sizes")
    func headerSizes() {
        let table: [(Int, Bool, Int)] = [
            (0, false, 2), (125, false, 2), (126, false, 4), (65535, false, 4), (65536, false, 10),
            (0, true, 6), (125, true, 6), (126, true, 8), (65535, true, 8), (65536, true, 14), (1 << 40, true, 14),
        ]
        for (length, masked, size) in table {
            #expect(WebSocketFrameEncoder.headerSize(payloadLength: length, masked: masked) == size, "\(length) \(masked)")
        }
    }

    @Test("the two encode overloads agree")
    func overloads() {
        let payload = ScenarioCorpus.bytes(300)
        let fromPointer = payload.withUnsafeBytes { WebSocketFrameEncoder.encode(opcode: .text, payload: $0, fin: false, maskKey: 7) }
        #expect(fromPointer == WebSocketFrameEncoder.encode(opcode: .text, payload: payload, fin: false, maskKey: 7))
    }

    @Test("close frames")
    func close() {
        #expect(WebSocketFrameEncoder.encodeClose(code: nil, reason: "ignored", maskKey: nil) == [0x88, 0x00])
        #expect(WebSocketFrameEncoder.encodeClose(code: .normalClosure, reason: "", maskKey: nil) == [0x88, 0x02, 0x03, 0xE8])
        #expect(
            WebSocketFrameEncoder.encodeClose(code: .goingAway, reason: "bye", maskKey: Wire.key)
                == Wire.close(1001, [UInt8]("bye"), mask: Wire.key)
        )
    }

    @Test("close reasons are truncated to 123 bytes on a character boundary")
    func closeReasonTruncation() throws {
        // 122 ASCII bytes then a 3-byte character straddling the limit: cut before it.
        let straddling = String(repeating: "a", count: 122) + "€" + "tail"
        let first = try #require(Wire.parseClose(WebSocketFrameEncoder.encodeClose(code: .normalClosure, reason: straddling, maskKey: nil)))
        #expect(first.reason == [UInt8](String(repeating: "a", count: 122)))
        // Exactly 123 bytes: kept whole.
        let exact = String(repeating: "é", count: 61) + "x"
        let second = try #require(Wire.parseClose(WebSocketFrameEncoder.encodeClose(code: .normalClosure, reason: exact, maskKey: 1)))
        #expect(second.reason == [UInt8](exact))
        // Four-byte characters: 30 fit (120 bytes), the 31st would straddle.
        let emoji = String(repeating: "😀", count: 40)
        let third = try #require(Wire.parseClose(WebSocketFrameEncoder.encodeClose(code: .normalClosure, reason: emoji, maskKey: nil)))
        #expect(third.reason == [UInt8](String(repeating: "😀", count: 30)))
    }
}
