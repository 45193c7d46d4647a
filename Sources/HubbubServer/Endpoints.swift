import HubbubHTTP
import HubbubIO
import HubbubWebSocket

/// A WebSocket endpoint: what it negotiates and the session it starts for
/// each upgraded connection.
public protocol WebSocketEndpoint: Sendable {
    /// Subprotocols in preference order; empty to negotiate none.
    var subprotocols: [String] { get }
    /// Whether a client must offer one of `subprotocols`.
    var requireSubprotocol: Bool { get }
    /// Frame and message limits on this endpoint.
    var limits: WebSocketLimits { get }
    /// A new session for an upgraded connection, created on its loop thread.
    func makeSession(request: HTTPRequest, subprotocol: String?) -> any WebSocketSession
    /// Decides a valid upgrade request before the 101 goes out: a session, or an HTTP
    /// response that refuses it (401 for a bad token, 429 over a per-user limit...).
    /// The default accepts with ``makeSession(request:subprotocol:)``.
    func open(request: HTTPRequest, subprotocol: String?) -> WebSocketOpening
    /// The close code for a peer that lets its send queue fill; nil for the server's default.
    var slowConsumerCloseCode: WebSocketCloseCode? { get }
}

/// What ``WebSocketEndpoint/open(request:subprotocol:)`` decided.
public enum WebSocketOpening {
    case accept(any WebSocketSession)
    case refuse(HTTPResponse)
}

extension WebSocketEndpoint {
    public func open(request: HTTPRequest, subprotocol: String?) -> WebSocketOpening {
        .accept(makeSession(request: request, subprotocol: subprotocol))
    }

    public var slowConsumerCloseCode: WebSocketCloseCode? { nil }
}

/// One upgraded connection's application logic. Calls arrive on the
/// connection's loop thread, in order.
public protocol WebSocketSession: AnyObject {
    func webSocketDidOpen(_ socket: any WebSocketChannel)
    func webSocket(_ socket: any WebSocketChannel, didReceive message: WebSocketMessage)
    func webSocketDidClose(code: WebSocketCloseCode, reason: String)
}

/// What a session can do with its connection.
public protocol WebSocketChannel: AnyObject {
    var connectionID: ConnectionID { get }
    var engine: LoopEngine { get }
    /// Encodes and queues a message. False if it was not queued (closing, or
    /// the send queue is full: the connection is then closed as a slow consumer).
    @discardableResult func send(_ message: WebSocketMessage) -> Bool
    /// Queues an already-encoded frame (the same bytes for every recipient).
    @discardableResult func send(frame: ByteChunk) -> Bool
    /// Starts the close handshake.
    func close(code: WebSocketCloseCode, reason: String)
    /// Bytes waiting in the send queue.
    var queuedBytes: Int { get }
}

/// A plain HTTP endpoint, answered on the loop thread.
public protocol HTTPEndpoint: Sendable {
    func respond(to request: HTTPRequest) -> HTTPResponse
}

/// A plain HTTP endpoint whose answer needs to wait (a store read, a room): it runs off
/// the loop; the connection holds later pipelined requests until the response is sent.
/// The endpoint bounds its own waiting (store timeouts).
public protocol AsyncHTTPEndpoint: Sendable {
    func respond(to request: HTTPRequest) async -> HTTPResponse
}
