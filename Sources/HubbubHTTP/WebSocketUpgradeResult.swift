/// The outcome of evaluating a WebSocket handshake request.
public enum WebSocketUpgradeResult: Sendable {
    /// Send `response` (101 Switching Protocols) and switch the connection to WebSocket
    /// framing; `subprotocol` is the negotiated subprotocol, if any.
    case accept(response: HTTPResponse, subprotocol: String?)
    /// Send the response (a JSON error body with `Connection: close`), then close.
    case reject(HTTPResponse)
}
