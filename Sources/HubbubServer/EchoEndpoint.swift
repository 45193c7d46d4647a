import HubbubHTTP
import HubbubWebSocket

/// `/echo` (only with `--echo`): sends every text and binary message back
/// unchanged. The Autobahn conformance suite and `hubbub-load` run against it.
struct EchoEndpoint: WebSocketEndpoint {
    let limits: WebSocketLimits
    var subprotocols: [String] { [] }
    var requireSubprotocol: Bool { false }

    func makeSession(request: HTTPRequest, subprotocol: String?) -> any WebSocketSession {
        EchoSession()
    }
}

private final class EchoSession: WebSocketSession {
    func webSocketDidOpen(_ socket: any WebSocketChannel) {}

    func webSocket(_ socket: any WebSocketChannel, didReceive message: WebSocketMessage) {
        socket.send(message)
    }

    func webSocketDidClose(code: WebSocketCloseCode, reason: String) {}
}
