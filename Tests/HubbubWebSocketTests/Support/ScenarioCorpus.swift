import HubbubWebSocket

/// Every valid and invalid input the connection tests run, whole and split at every byte.
enum ScenarioCorpus {
    static let all: [Scenario] = valid + invalid + clientRole

    static func echoedClose(_ code: UInt16, reason: String = "", initiatedByPeer: Bool = true) -> [WebSocketAction] {
        [
            .send(Wire.close(code, mask: nil)),
            .closed(code: WebSocketCloseCode(rawValue: code), reason: reason, initiatedByPeer: initiatedByPeer),
            .closeSocket,
        ]
    }

    static let valid: [Scenario] = [
        Scenario(
            name: "RFC 6455 5.7 masked Hello",
            input: [0x81, 0x85, 0x37, 0xFA, 0x21, 0x3D, 0x7F, 0x9F, 0x4D, 0x51, 0x58],
            expected: .actions([.deliver(.text([UInt8]("Hello")))])
        ),
        Scenario(name: "empty text", input: Wire.text(""), expected: .actions([.deliver(.text([]))])),
        Scenario(name: "empty binary", input: Wire.binary([]), expected: .actions([.deliver(.binary([]))])),
        Scenario(
            name: "binary of 125 bytes (7-bit length)",
            input: Wire.binary(bytes(125)),
            expected: .actions([.deliver(.binary(bytes(125)))])
        ),
        Scenario(
            name: "binary of 126 bytes (16-bit length)",
            input: Wire.binary(bytes(126)),
            expected: .actions([.deliver(.binary(bytes(126)))])
        ),
        Scenario(
            name: "binary of 300 bytes",
            input: Wire.binary(bytes(300)),
            expected: .actions([.deliver(.binary(bytes(300)))])
        ),
        Scenario(
            name: "non-minimal 16-bit length",
            input: Wire.frame(0x1, [UInt8]("abc"), form: .sixteenBit),
            expected: .actions([.deliver(.text([UInt8]("abc")))])
        ),
        Scenario(
            name: "non-minimal 64-bit length",
            input: Wire.frame(0x2, [1, 2, 3, 4, 5], form: .sixtyFourBit),
            expected: .actions([.deliver(.binary([1, 2, 3, 4, 5]))])
        ),
        Scenario(
            name: "fragmented text with interleaved ping and pong",
            input: Wire.text("Hel", fin: false) + Wire.ping([0xAB, 0xCD]) + Wire.continuation([UInt8]("l"), fin: false)
                + Wire.pong([1]) + Wire.continuation([UInt8]("o"), fin: true),
            expected: .actions([.send(Wire.pong([0xAB, 0xCD], mask: nil)), .deliver(.text([UInt8]("Hello")))])
        ),
        Scenario(
            name: "fragmented binary with empty fragments",
            input: Wire.binary([], fin: false) + Wire.continuation([7], fin: false) + Wire.continuation([], fin: true),
            expected: .actions([.deliver(.binary([7]))])
        ),
        Scenario(
            name: "code points split across fragments",
            input: Wire.frame(0x1, [0xCE], fin: false) + Wire.continuation([0xBA, 0xF0, 0x9F], fin: false)
                + Wire.continuation([0x98, 0x80], fin: true),
            expected: .actions([.deliver(.text([0xCE, 0xBA, 0xF0, 0x9F, 0x98, 0x80]))])
        ),
        Scenario(
            name: "several messages in one buffer",
            input: Wire.text("a") + Wire.binary([1, 2, 3]) + Wire.ping([]) + Wire.text("b"),
            expected: .actions([
                .deliver(.text([UInt8]("a"))), .deliver(.binary([1, 2, 3])), .send(Wire.pong([], mask: nil)),
                .deliver(.text([UInt8]("b"))),
            ])
        ),
        Scenario(
            name: "UTF-8 edge code points",
            input: Wire.frame(0x1, utf8EdgeCases),
            expected: .actions([.deliver(.text(utf8EdgeCases))])
        ),
        Scenario(
            name: "ping with 125-byte payload",
            input: Wire.ping(bytes(125)),
            expected: .actions([.send(Wire.pong(bytes(125), mask: nil))])
        ),
        Scenario(name: "unsolicited pong", input: Wire.pong([1, 2, 3]), expected: .actions([])),
        Scenario(
            name: "close 1000 with reason",
            input: Wire.close(1000, [UInt8]("bye")),
            expected: .actions(echoedClose(1000, reason: "bye"))
        ),
        Scenario(
            name: "close without payload",
            input: Wire.close(nil),
            expected: .actions([
                .send(Wire.close(1000, mask: nil)),
                .closed(code: .noStatusReceived, reason: "", initiatedByPeer: true), .closeSocket,
            ])
        ),
        Scenario(
            name: "close with 123-byte multibyte reason",
            input: Wire.close(1001, [UInt8](String(repeating: "é", count: 61) + "x")),
            expected: .actions(echoedClose(1001, reason: String(repeating: "é", count: 61) + "x"))
        ),
        Scenario(
            name: "close inside a fragmented message",
            input: Wire.text("frag", fin: false) + Wire.close(1000),
            expected: .actions(echoedClose(1000))
        ),
        Scenario(
            name: "bytes after close are ignored",
            input: Wire.text("a") + Wire.close(1000) + Wire.text("ignored") + [0xFF, 0xFF],
            expected: .actions([.deliver(.text([UInt8]("a")))] + echoedClose(1000))
        ),
    ]
    // Close codes the peer may send: echoed.
    + [1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999, 4000, 4999].map { code in
        Scenario(name: "close with valid code \(code)", input: Wire.close(code), expected: .actions(echoedClose(code)))
    }

    static let invalid: [Scenario] = [
        Scenario(
            name: "unmasked client frame",
            input: Wire.text("Hello", mask: nil),
            expected: .failure(.protocolError)
        ),
        Scenario(name: "RSV1 set", input: Wire.frame(0x1, [UInt8]("a"), rsv: 0b100), expected: .failure(.protocolError)),
        Scenario(name: "RSV2 set", input: Wire.frame(0x1, [UInt8]("a"), rsv: 0b010), expected: .failure(.protocolError)),
        Scenario(name: "RSV3 set on ping", input: Wire.frame(0x9, [], rsv: 0b001), expected: .failure(.protocolError)),
        Scenario(
            name: "fragmented ping",
            input: Wire.frame(0x9, [1], fin: false),
            expected: .failure(.protocolError)
        ),
        Scenario(
            name: "fragmented close",
            input: Wire.frame(0x8, Wire.closePayload(1000), fin: false),
            expected: .failure(.protocolError)
        ),
        Scenario(name: "ping with 126-byte payload", input: Wire.ping(bytes(126)), expected: .failure(.protocolError)),
        Scenario(
            name: "close with 126-byte payload",
            input: Wire.close(1000, [UInt8](repeating: 0x61, count: 124)),
            expected: .failure(.protocolError)
        ),
        Scenario(
            name: "continuation without a message",
            input: Wire.continuation([UInt8]("a"), fin: true),
            expected: .failure(.protocolError)
        ),
        Scenario(
            name: "text while a fragmented text is in progress",
            input: Wire.text("a", fin: false) + Wire.text("b"),
            expected: .failure(.protocolError)
        ),
        Scenario(
            name: "binary while a fragmented binary is in progress",
            input: Wire.binary([1], fin: false) + Wire.ping([]) + Wire.binary([2]),
            expected: .failure(.protocolError, after: [.send(Wire.pong([], mask: nil))])
        ),
        Scenario(
            name: "64-bit length with the top bit set",
            input: Wire.frame(0x2, [], declaredLength: 1 << 63),
            expected: .failure(.protocolError)
        ),
        Scenario(
            name: "frame larger than maxFrameSize",
            limits: WebSocketLimits(maxFrameSize: 100, maxMessageSize: 1000),
            input: Wire.binary(bytes(101)),
            expected: .failure(.messageTooBig)
        ),
        Scenario(
            name: "frame declaring 2^62 bytes",
            input: Wire.frame(0x2, [], declaredLength: 1 << 62),
            expected: .failure(.messageTooBig)
        ),
        Scenario(
            name: "fragmented message larger than maxMessageSize",
            limits: WebSocketLimits(maxFrameSize: 100, maxMessageSize: 10),
            input: Wire.binary(bytes(6), fin: false) + Wire.continuation(bytes(5), fin: true),
            expected: .failure(.messageTooBig)
        ),
        Scenario(
            name: "single frame larger than maxMessageSize",
            limits: WebSocketLimits(maxFrameSize: 100, maxMessageSize: 10),
            input: Wire.text("a") + Wire.binary(bytes(11)),
            expected: .failure(.messageTooBig, after: [.deliver(.text([UInt8]("a")))])
        ),
        Scenario(
            name: "truncated UTF-8 at the end of a message",
            input: Wire.frame(0x1, [0x41, 0xE2, 0x82]),
            expected: .failure(.invalidPayloadData)
        ),
        Scenario(
            name: "truncated UTF-8 at the end of a fragmented message",
            input: Wire.frame(0x1, [0xE2], fin: false) + Wire.continuation([0x82], fin: true),
            expected: .failure(.invalidPayloadData)
        ),
        Scenario(
            name: "invalid UTF-8 in the second fragment (Autobahn 6.4.1)",
            input: Wire.text("ok") + Wire.frame(0x1, [0xCE, 0xBA, 0xE1, 0xBD, 0xB9], fin: false)
                + Wire.continuation([0xF4, 0x90, 0x80, 0x80], fin: false) + Wire.continuation([UInt8]("edited"), fin: true),
            expected: .failure(.invalidPayloadData, after: [.deliver(.text([UInt8]("ok")))])
        ),
        Scenario(name: "close payload of one byte", input: Wire.frame(0x8, [0x03]), expected: .failure(.protocolError)),
        Scenario(
            name: "close reason not valid UTF-8",
            input: Wire.close(1000, [0x61, 0xC0, 0x80]),
            expected: .failure(.invalidPayloadData)
        ),
        Scenario(
            name: "close reason with a truncated code point",
            input: Wire.close(1000, [0x61, 0xE2, 0x82]),
            expected: .failure(.invalidPayloadData)
        ),
    ]
    // Reserved opcodes.
    + ([3, 4, 5, 6, 7, 11, 12, 13, 14, 15] as [UInt8]).map { opcode in
        Scenario(name: "reserved opcode \(opcode)", input: Wire.frame(opcode, [1]), expected: .failure(.protocolError))
    }
    // Invalid UTF-8 in a single text frame.
    + invalidUTF8.map { sequence in
        Scenario(
            name: "invalid UTF-8 \(hex(sequence))",
            input: Wire.frame(0x1, [0x61] + sequence + [0x62]),
            expected: .failure(.invalidPayloadData)
        )
    }
    // Close codes that may not appear on the wire (Autobahn 7.9.x, 7.13.x).
    + ([0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535] as [UInt16]).map { code in
        Scenario(name: "close with invalid code \(code)", input: Wire.close(code), expected: .failure(.protocolError))
    }

    /// The connection playing the client: server frames are unmasked, ours masked.
    static let clientRole: [Scenario] = [
        Scenario(
            name: "client: unmasked text",
            role: .client,
            input: Wire.text("hi", mask: nil),
            expected: .actions([.deliver(.text([UInt8]("hi")))])
        ),
        Scenario(
            name: "client: ping answered with a masked pong",
            role: .client,
            input: Wire.ping([9, 8, 7, 6, 5], mask: nil),
            expected: .actions([.send(Wire.pong([9, 8, 7, 6, 5], mask: Wire.connectionKey))])
        ),
        Scenario(
            name: "client: server close echoed masked",
            role: .client,
            input: Wire.close(1001, mask: nil),
            expected: .actions([
                .send(Wire.close(1001, mask: Wire.connectionKey)),
                .closed(code: .goingAway, reason: "", initiatedByPeer: true), .closeSocket,
            ])
        ),
        Scenario(
            name: "client: masked server frame",
            role: .client,
            input: Wire.text("hi"),
            expected: .failure(.protocolError)
        ),
    ]

    /// Sequences no UTF-8 text may contain.
    static let invalidUTF8: [[UInt8]] = [
        [0x80], [0xBF], [0xC0, 0x80], [0xC1, 0xBF], [0xE0, 0x80, 0x80], [0xE0, 0x9F, 0xBF],
        [0xED, 0xA0, 0x80], [0xED, 0xBF, 0xBF], [0xF0, 0x80, 0x80, 0x80], [0xF0, 0x8F, 0xBF, 0xBF],
        [0xF4, 0x90, 0x80, 0x80], [0xF5, 0x80, 0x80, 0x80], [0xF8], [0xFE], [0xFF], [0xC2, 0x41],
        [0xE2, 0x82, 0x41], [0xF0, 0x9F, 0x98, 0x41], [0xC2, 0xC2, 0x80],
    ]

    /// Valid text at the edges of each encoding length and around the surrogates.
    static let utf8EdgeCases: [UInt8] =
        [0x00, 0x7F] + [0xC2, 0x80] + [0xDF, 0xBF] + [0xE0, 0xA0, 0x80] + [0xED, 0x9F, 0xBF] + [0xEE, 0x80, 0x80]
        + [0xEF, 0xBF, 0xBF] + [0xF0, 0x90, 0x80, 0x80] + [0xF4, 0x8F, 0xBF, 0xBF]

    /// `count` varied bytes.
    static func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { byte in
            let digits = String(byte, radix: 16, uppercase: true)
            return byte < 16 ? "0" + digits : digits
        }.joined(separator: " ")
    }
}
