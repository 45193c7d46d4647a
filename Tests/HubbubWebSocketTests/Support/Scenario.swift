import HubbubWebSocket
import Testing

/// A byte stream a peer sends, and what the connection must do with it.
struct Scenario: Sendable, CustomTestStringConvertible {
    enum Expected: Sendable {
        /// Exactly these actions.
        case actions([WebSocketAction])
        /// These actions, then the connection fails with this code: our close frame carrying
        /// it, `.closed(code, initiatedByPeer: false)`, `.closeSocket`.
        case failure(WebSocketCloseCode, after: [WebSocketAction] = [])
    }

    var name: String
    var role: WebSocketRole = .server
    var limits = WebSocketLimits()
    var input: [UInt8]
    var expected: Expected

    var testDescription: String { name }

    func makeConnection() -> WebSocketConnection {
        WebSocketConnection(role: role, limits: limits, timeouts: .disabled, now: 0, maskKeyGenerator: { Wire.connectionKey })
    }

    /// Feeds the input in the given pieces; returns all actions, concatenated.
    func run<Pieces: Sequence<ArraySlice<UInt8>>>(_ pieces: Pieces) -> [WebSocketAction] {
        var connection = makeConnection()
        var actions: [WebSocketAction] = []
        for piece in pieces {
            actions += piece.withUnsafeBytes { connection.receive($0, now: 1) }
        }
        return actions
    }

    func runWhole() -> [WebSocketAction] { run([input[...]]) }

    func run(splitAt index: Int) -> [WebSocketAction] { run([input[..<index], input[index...]]) }

    func runBytewise() -> [WebSocketAction] { run(input.indices.lazy.map { input[$0...$0] }) }
}

/// Checks actions against an expectation.
func check(
    _ actions: [WebSocketAction],
    _ expected: Scenario.Expected,
    role: WebSocketRole = .server,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    switch expected {
    case .actions(let expectedActions):
        #expect(actions == expectedActions, sourceLocation: sourceLocation)
    case .failure(let code, let prefix):
        expectFailure(actions, code: code, after: prefix, role: role, sourceLocation: sourceLocation)
    }
}

/// Checks that `actions` are `prefix`, then a close frame with `code`, `.closed` with
/// that code (not initiated by the peer), then `.closeSocket`.
func expectFailure(
    _ actions: [WebSocketAction],
    code: WebSocketCloseCode,
    after prefix: [WebSocketAction] = [],
    role: WebSocketRole = .server,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actions.count == prefix.count + 3 else {
        Issue.record("expected \(prefix.count) actions then a failure with \(code), got \(actions)", sourceLocation: sourceLocation)
        return
    }
    #expect(Array(actions[..<prefix.count]) == prefix, sourceLocation: sourceLocation)
    if case .send(let bytes) = actions[prefix.count], let close = Wire.parseClose(bytes) {
        #expect(close.code == code.rawValue, "close frame code", sourceLocation: sourceLocation)
        #expect(Wire.parse(bytes)?.masked == (role == .client), "masking", sourceLocation: sourceLocation)
    } else {
        Issue.record("expected a close frame, got \(actions[prefix.count])", sourceLocation: sourceLocation)
    }
    if case .closed(let closedCode, _, let initiatedByPeer) = actions[prefix.count + 1] {
        #expect(closedCode == code, sourceLocation: sourceLocation)
        #expect(!initiatedByPeer, sourceLocation: sourceLocation)
    } else {
        Issue.record("expected .closed, got \(actions[prefix.count + 1])", sourceLocation: sourceLocation)
    }
    #expect(actions[prefix.count + 2] == .closeSocket, sourceLocation: sourceLocation)
}
