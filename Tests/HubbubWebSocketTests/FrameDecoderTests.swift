import HubbubWebSocket
import Testing

@Suite("Frame decoder")
struct FrameDecoderTests {
    private func decodeAll(
        _ bytes: [UInt8],
        role: WebSocketRole = .server,
        maxFrameSize: Int = 1 << 20
    ) throws(WebSocketProtocolError) -> [WebSocketFrame] {
        var decoder = WebSocketFrameDecoder(role: role, maxFrameSize: maxFrameSize)
        bytes.withUnsafeBytes { decoder.append($0) }
        var frames: [WebSocketFrame] = []
        while let frame = try decoder.next() { frames.append(frame) }
        return frames
    }

    private func decodeError(_ bytes: [UInt8], role: WebSocketRole = .server, maxFrameSize: Int = 1 << 20) -> WebSocketProtocolError? {
        do {
            _ = try decodeAll(bytes, role: role, maxFrameSize: maxFrameSize)
            return nil
        } catch {
            return error
        }
    }

    @Test("RFC 6455 5.7 examples")
    func rfcExamples() throws {
        let hello = [UInt8]("Hello")
        // Unmasked, as a client receives them.
        #expect(
            try decodeAll([0x81, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F], role: .client)
                == [WebSocketFrame(opcode: .text, payload: hello)]
        )
        #expect(
            try decodeAll([0x01, 0x03, 0x48, 0x65, 0x6C, 0x80, 0x02, 0x6C, 0x6F], role: .client) == [
                WebSocketFrame(fin: false, opcode: .text, payload: [UInt8]("Hel")),
                WebSocketFrame(fin: true, opcode: .continuation, payload: [UInt8]("lo")),
            ]
        )
        #expect(
            try decodeAll([0x89, 0x05, 0x48, 0x65, 0x6C, 0x6C, 0x6F], role: .client)
                == [WebSocketFrame(opcode: .ping, payload: hello)]
        )
        // Masked, as a server receives them.
        #expect(
            try decodeAll([0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])
                == [WebSocketFrame(opcode: .text, payload: hello)]
        )
        #expect(
            try decodeAll([0x8A, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58])
                == [WebSocketFrame(opcode: .pong, payload: hello)]
        )
        // 256 bytes and 64 KiB binary headers.
        let small = [UInt8](repeating: 0x5A, count: 256)
        #expect(try decodeAll([0x82, 0x7E, 0x01, 0x00] + small, role: .client) == [WebSocketFrame(opcode: .binary, payload: small)])
        let large = [UInt8](repeating: 0xA5, count: 65536)
        expectEqual(try decodeAll([0x82, 0x7F, 0, 0, 0, 0, 0, 1, 0, 0] + large, role: .client), [WebSocketFrame(opcode: .binary, payload: large)])
    }

    @Test(
        "every length form, minimal and not",
        arguments: [0, 1, 5, 125, 126, 127, 200, 65535, 65536, 70001]
    )
    func lengthForms(length: Int) throws {
        let payload = ScenarioCorpus.bytes(length)
        var forms: [Wire.LengthForm] = [.minimal, .sixtyFourBit]
        if length <= 0xFFFF { forms.append(.sixteenBit) }
        for form in forms {
            let bytes = Wire.frame(0x2, payload, form: form)
            expectEqual(try decodeAll(bytes), [WebSocketFrame(opcode: .binary, payload: payload)], "\(form)")
        }
        // The minimal form is the one the encoder picks.
        let minimalHeader = Wire.frame(0x2, payload, mask: nil).count - length
        #expect(minimalHeader == WebSocketFrameEncoder.headerSize(payloadLength: length, masked: false))
    }

    @Test("frames before an error are returned first, then the error, which sticks")
    func errorAfterFrames() throws {
        var decoder = WebSocketFrameDecoder(role: .server, maxFrameSize: 1000)
        let bytes = Wire.text("one") + Wire.ping([1]) + Wire.frame(0x3, []) + Wire.text("never")
        bytes.withUnsafeBytes { decoder.append($0) }
        #expect(try decoder.next() == WebSocketFrame(opcode: .text, payload: [UInt8]("one")))
        #expect(try decoder.next() == WebSocketFrame(opcode: .ping, payload: [1]))
        #expect(throws: WebSocketProtocolError.self) { try decoder.next() }
        Wire.text("more").withUnsafeBytes { decoder.append($0) }
        let error = #expect(throws: WebSocketProtocolError.self) { try decoder.next() }
        #expect(error?.closeCode == .protocolError)
    }

    @Test("nil until a frame is complete")
    func incomplete() throws {
        var decoder = WebSocketFrameDecoder(role: .server, maxFrameSize: 1000)
        let bytes = Wire.binary([1, 2, 3, 4, 5, 6])
        bytes[..<7].withUnsafeBytes { decoder.append($0) }
        #expect(try decoder.next() == nil)
        bytes[7...].withUnsafeBytes { decoder.append($0) }
        #expect(try decoder.next() == WebSocketFrame(opcode: .binary, payload: [1, 2, 3, 4, 5, 6]))
        #expect(try decoder.next() == nil)
    }

    @Test("maxFrameSize is decided from the header, before the payload arrives")
    func frameSizeFromHeader() {
        var decoder = WebSocketFrameDecoder(role: .server, maxFrameSize: 1000)
        let header = Array(Wire.binary(ScenarioCorpus.bytes(1001)).prefix(8))  // 2 + 2 + 4 bytes
        header.withUnsafeBytes { decoder.append($0) }
        let error = #expect(throws: WebSocketProtocolError.self) { try decoder.next() }
        #expect(error?.closeCode == .messageTooBig)
        // The limit itself is allowed.
        #expect(decodeError(Wire.binary(ScenarioCorpus.bytes(1000)), maxFrameSize: 1000) == nil)
    }

    @Test("protocol errors carry the right close code")
    func errorCodes() {
        let cases: [(String, [UInt8], WebSocketRole, WebSocketCloseCode)] = [
            ("unmasked to server", Wire.text("a", mask: nil), .server, .protocolError),
            ("masked to client", Wire.text("a"), .client, .protocolError),
            ("RSV1", Wire.frame(0x2, [], rsv: 4), .server, .protocolError),
            ("opcode 3", Wire.frame(0x3, []), .server, .protocolError),
            ("opcode 11", Wire.frame(0xB, []), .server, .protocolError),
            ("fragmented pong", Wire.frame(0xA, [], fin: false), .server, .protocolError),
            ("ping 126", Wire.ping(ScenarioCorpus.bytes(126)), .server, .protocolError),
            ("top bit", Wire.frame(0x2, [], declaredLength: 1 << 63), .server, .protocolError),
            ("too big", Wire.frame(0x2, [], declaredLength: 1 << 21), .server, .messageTooBig),
        ]
        for (name, bytes, role, code) in cases {
            #expect(decodeError(bytes, role: role)?.closeCode == code, "\(name)")
        }
    }

    @Test("frame order is not the decoder's business: a lone continuation decodes")
    func loneContinuation() throws {
        #expect(try decodeAll(Wire.continuation([1], fin: true)) == [WebSocketFrame(opcode: .continuation, payload: [1])])
    }
}
