import HubbubWebSocket
import Testing

@Suite("Close codes")
struct CloseCodeTests {
    static let table: [(UInt16, Bool)] = [
        (0, false), (999, false), (1000, true), (1001, true), (1002, true), (1003, true), (1004, false),
        (1005, false), (1006, false), (1007, true), (1008, true), (1009, true), (1010, true), (1011, true),
        (1012, true), (1013, true), (1014, true), (1015, false), (1016, false), (1100, false), (2000, false),
        (2999, false), (3000, true), (3999, true), (4000, true), (4999, true), (5000, false), (65535, false),
    ]

    @Test("validity on the wire")
    func validity() {
        for (code, valid) in Self.table {
            #expect(WebSocketCloseCode(rawValue: code).isValidOnWire == valid, "\(code)")
        }
    }

    @Test("named codes")
    func names() {
        let named: [(WebSocketCloseCode, UInt16)] = [
            (.normalClosure, 1000), (.goingAway, 1001), (.protocolError, 1002), (.unsupportedData, 1003),
            (.noStatusReceived, 1005), (.abnormalClosure, 1006), (.invalidPayloadData, 1007), (.policyViolation, 1008),
            (.messageTooBig, 1009), (.mandatoryExtension, 1010), (.internalError, 1011), (.serviceRestart, 1012),
            (.tryAgainLater, 1013),
        ]
        for (code, raw) in named { #expect(code.rawValue == raw) }
        #expect(WebSocketCloseCode.normalClosure.description == "1000 (normal closure)")
        #expect(WebSocketCloseCode(rawValue: 4321).description == "4321")
    }

    @Test("the connection echoes valid codes and rejects invalid ones", arguments: table)
    func connection(code: UInt16, valid: Bool) {
        var connection = WebSocketConnection.make()
        let actions = connection.receive(Wire.close(code))
        if valid {
            #expect(actions.first == .send(Wire.close(code, mask: nil)))
            #expect(actions.dropFirst().first == .closed(code: WebSocketCloseCode(rawValue: code), reason: "", initiatedByPeer: true))
        } else {
            expectFailure(actions, code: .protocolError)
        }
    }

    @Test("opcodes")
    func opcodes() {
        #expect(WebSocketOpcode.allControl.allSatisfy { $0.isControl })
        #expect(![WebSocketOpcode.continuation, .text, .binary].contains { $0.isControl })
        #expect((0...15).compactMap { WebSocketOpcode(rawValue: UInt8($0)) }.count == 6)
    }
}

extension WebSocketOpcode {
    static let allControl: [WebSocketOpcode] = [.close, .ping, .pong]
}
