import HubbubWebSocket

/// The application close codes of `hubbub.v1` (protocol/close-codes.md): 4000-4499 allow a
/// reconnect, 4500-4999 are terminal.
enum HubCloseCode {
    static let slowConsumer = WebSocketCloseCode(rawValue: 4000)
    static let tokenExpired = WebSocketCloseCode(rawValue: 4001)
    static let authenticationTimeout = WebSocketCloseCode(rawValue: 4002)
    static let disconnected = WebSocketCloseCode(rawValue: 4003)
    static let authenticationFailed = WebSocketCloseCode(rawValue: 4500)
    static let forbidden = WebSocketCloseCode(rawValue: 4501)
    static let unsupportedVersion = WebSocketCloseCode(rawValue: 4502)
    static let tooManyConnections = WebSocketCloseCode(rawValue: 4503)
}
