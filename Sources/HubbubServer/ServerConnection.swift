import HubbubHTTP
import HubbubIO
import HubbubWebSocket
import Logging

/// One accepted connection through its life: HTTP/1.1 requests (answered, or
/// upgraded), then, after an upgrade, the WebSocket state machine driving a
/// session. The protocol logic lives in the I/O-free `HTTPRequestParser` and
/// `WebSocketConnection`; this class only carries out their actions on the
/// connection and keeps the timers they ask for.
final class ServerConnection: ConnectionHandler, WebSocketChannel {
    // Exactly one phase is live at a time: `parser` during HTTP, `machine` and
    // `session` after an upgrade, none once closed. They are stored properties
    // (not enum payloads) so mutating them happens in place: a copy held by an
    // enum would make every append to a half-received message copy it whole.
    private var parser: HTTPRequestParser?
    private var machine: WebSocketConnection?
    private var session: (any WebSocketSession)?
    /// Application messages may be queued: from the upgrade until our close
    /// frame is queued. The state machine alone cannot say this: having read a
    /// message and a close in one read, it is already closed, yet a reply to
    /// the message still goes out before the close frame that answers it.
    private var messagesAllowed = false

    private let shared: ServerShared
    private let connection: Connection
    private var timer: TimerID?
    private var timerDeadline: UInt64 = .max
    private var shuttingDown = false
    /// An async endpoint is working on a request; later requests wait in the parser.
    private var awaitingResponse = false
    private var slowConsumerCloseCode: WebSocketCloseCode = .policyViolation

    /// The client address holding a slot of the per-address limit, if counted.
    private let address: String?

    init(connection: Connection, shared: ServerShared, address: String? = nil) {
        self.connection = connection
        self.shared = shared
        self.address = address
        self.parser = HTTPRequestParser(limits: shared.configuration.http)
    }

    var connectionID: ConnectionID { connection.id }
    var engine: LoopEngine { connection.engine }
    var queuedBytes: Int { connection.queuedBytes }

    // MARK: ConnectionHandler

    func connectionDidOpen(_ connection: Connection) {
        setTimer(at: engine.now &+ shared.configuration.handshakeTimeout)
    }

    func connection(_ connection: Connection, didRead bytes: UnsafeRawBufferPointer) {
        if parser != nil {
            parser!.append(bytes)
            if !awaitingResponse { processHTTP() }
        } else if machine != nil {
            let actions = machine!.receive(bytes, now: engine.now)
            perform(actions)
            rescheduleWebSocketTimer()
        }
    }

    func connectionDidClose(_ connection: Connection, error: IOError?) {
        cancelTimer()
        if machine != nil {
            perform(machine!.socketClosed())
        }
        endPhases()
        shared.gate.release()
        if let address { shared.addresses.release(address) }
        if let error {
            shared.logger.debug("connection closed with error", metadata: ["connection": "\(connection.id)", "error": "\(error)"])
        }
    }

    private func endPhases() {
        parser = nil
        machine = nil
        session = nil
        messagesAllowed = false
    }

    // MARK: HTTP phase

    private func processHTTP() {
        while parser != nil {
            let request: HTTPRequest?
            do {
                request = try parser!.next()
            } catch {
                respondAndClose(.error(error.status, code: "bad_request", message: error.reason))
                return
            }
            guard let request else { return }
            if shuttingDown {
                respondAndClose(.error(.serviceUnavailable, code: "shutting_down", message: "the server is shutting down"))
                return
            }
            switch shared.router.route(for: request.path) {
            case .webSocket(let endpoint)?:
                let leftover = parser!.takeUnparsedBytes()
                upgrade(request, endpoint: endpoint, leftover: leftover)
                return
            case .http(let endpoint)?:
                if WebSocketUpgrade.isUpgradeRequest(request) {
                    respondAndClose(.error(.badRequest, code: "not_a_websocket_endpoint", message: "\(request.path) does not accept WebSocket upgrades"))
                    return
                }
                respond(endpoint.respond(to: request), keepAlive: request.keepAlive, head: request.method == .head)
            case .asyncHTTP(let endpoint)?:
                if WebSocketUpgrade.isUpgradeRequest(request) {
                    respondAndClose(.error(.badRequest, code: "not_a_websocket_endpoint", message: "\(request.path) does not accept WebSocket upgrades"))
                    return
                }
                respondLater(request, endpoint: endpoint)
                return
            case nil:
                respond(
                    .error(.notFound, code: "not_found", message: "no endpoint at \(request.path)"), keepAlive: request.keepAlive,
                    head: request.method == .head)
            }
            guard request.keepAlive, connection.isWritable else { return }
            // A finished request restarts the clock for the next one.
            setTimer(at: engine.now &+ shared.configuration.httpIdleTimeout)
        }
    }

    /// Runs an async endpoint off the loop; its response comes back through the loop's
    /// inbox, to this connection if it still exists (the id carries a generation).
    private func respondLater(_ request: HTTPRequest, endpoint: any AsyncHTTPEndpoint) {
        awaitingResponse = true
        cancelTimer()
        let id = connection.id
        let loop = engine.loop
        Task {
            let response = await endpoint.respond(to: request)
            loop.execute { engine in
                (engine.connection(id)?.currentHandler as? ServerConnection)?.responseReady(
                    response, keepAlive: request.keepAlive, head: request.method == .head)
            }
        }
    }

    private func responseReady(_ response: HTTPResponse, keepAlive: Bool, head: Bool) {
        guard awaitingResponse, parser != nil else { return }
        awaitingResponse = false
        respond(response, keepAlive: keepAlive && !shuttingDown, head: head)
        guard keepAlive, !shuttingDown, connection.isWritable else { return }
        setTimer(at: engine.now &+ shared.configuration.httpIdleTimeout)
        processHTTP()
    }

    private func respond(_ response: HTTPResponse, keepAlive: Bool, head: Bool = false) {
        connection.send(ByteChunk(response.serialize(keepAlive: keepAlive, headOnly: head)))
        if !keepAlive {
            endPhases()
            connection.close(.afterFlush)
        }
    }

    private func respondAndClose(_ response: HTTPResponse) {
        respond(response, keepAlive: false)
    }

    private func upgrade(_ request: HTTPRequest, endpoint: any WebSocketEndpoint, leftover: [UInt8]) {
        let config = WebSocketUpgradeConfig(
            subprotocols: endpoint.subprotocols,
            requireSubprotocol: endpoint.requireSubprotocol,
            originAllowed: shared.originPolicy)
        switch WebSocketUpgrade.evaluate(request, config: config) {
        case .reject(let response):
            respondAndClose(response)
        case .accept(let response, let subprotocol):
            let session: any WebSocketSession
            switch endpoint.open(request: request, subprotocol: subprotocol) {
            case .refuse(let refusal):
                respondAndClose(refusal)
                return
            case .accept(let accepted):
                session = accepted
            }
            connection.send(ByteChunk(response.serialize(keepAlive: true)))
            let now = engine.now
            parser = nil
            machine = WebSocketConnection(
                role: .server, limits: endpoint.limits, timeouts: shared.configuration.webSocketTimeouts, now: now)
            slowConsumerCloseCode = endpoint.slowConsumerCloseCode ?? shared.configuration.slowConsumerCloseCode
            self.session = session
            messagesAllowed = true
            cancelTimer()
            session.webSocketDidOpen(self)
            if shuttingDown { close(code: .goingAway, reason: "server shutting down") }
            if !leftover.isEmpty {
                leftover.withUnsafeBytes { connection(connection, didRead: $0) }
            } else {
                rescheduleWebSocketTimer()
            }
        }
    }

    // MARK: WebSocket phase

    private func perform(_ actions: [WebSocketAction]) {
        for action in actions {
            switch action {
            case .deliver(let message):
                session?.webSocket(self, didReceive: message)
            case .send(let bytes):
                if let first = bytes.first, first & 0x0F == WebSocketOpcode.close.rawValue { messagesAllowed = false }
                // Control frames (pong, close) may exceed the queue bound: they are small and final.
                connection.sendIgnoringLimit(ByteChunk(bytes))
            case .closeSocket:
                messagesAllowed = false
                cancelTimer()
                connection.close(.afterFlush)
            case .closed(let code, let reason, _):
                session?.webSocketDidClose(code: code, reason: reason)
            }
        }
    }

    @discardableResult
    func send(_ message: WebSocketMessage) -> Bool {
        guard messagesAllowed else { return false }
        // Server frames are unmasked, so encoding needs no connection state.
        let frame: [UInt8]
        switch message {
        case .text(let bytes): frame = WebSocketFrameEncoder.encode(opcode: .text, payload: bytes)
        case .binary(let bytes): frame = WebSocketFrameEncoder.encode(opcode: .binary, payload: bytes)
        }
        return enqueue(ByteChunk(frame))
    }

    @discardableResult
    func send(frame: ByteChunk) -> Bool {
        guard messagesAllowed else { return false }
        return enqueue(frame)
    }

    private func enqueue(_ frame: ByteChunk) -> Bool {
        if connection.send(frame) { return true }
        if connection.isWritable {
            shared.logger.info("closing slow consumer", metadata: [
                "connection": "\(connection.id)", "queued_bytes": "\(connection.queuedBytes)",
            ])
            close(code: slowConsumerCloseCode, reason: "slow consumer: send queue full")
        }
        return false
    }

    func close(code: WebSocketCloseCode, reason: String) {
        guard machine != nil else { return }
        perform(machine!.close(code: code, reason: reason, now: engine.now))
        rescheduleWebSocketTimer()
    }

    /// Graceful shutdown: WebSocket peers get 1001, idle HTTP connections close.
    func beginShutdown() {
        shuttingDown = true
        if machine != nil {
            close(code: .goingAway, reason: "server shutting down")
        } else if awaitingResponse {
            return  // the response closes the connection when it is sent
        } else if let parser, !parser.hasBufferedBytes {
            endPhases()
            connection.close(.afterFlush)
        }
    }

    // MARK: Timers

    private func setTimer(at deadline: UInt64) {
        cancelTimer()
        timerDeadline = deadline
        timer = engine.schedule(at: deadline) { [weak self] in self?.timerFired() }
    }

    private func cancelTimer() {
        if let timer { engine.cancel(timer) }
        timer = nil
        timerDeadline = .max
    }

    /// Keeps one timer at the state machine's next deadline. Activity only moves
    /// deadlines later, so an early firing just ticks and re-arms; only an
    /// earlier deadline (a close timeout) needs the timer moved.
    private func rescheduleWebSocketTimer() {
        guard let machine else { return }
        guard let deadline = machine.nextDeadline else {
            cancelTimer()
            return
        }
        if timer == nil || deadline < timerDeadline { setTimer(at: deadline) }
    }

    private func timerFired() {
        timer = nil
        timerDeadline = .max
        if let parser {
            if parser.hasBufferedBytes {
                respondAndClose(.error(.requestTimeout, code: "request_timeout", message: "request not completed in time"))
            } else {
                endPhases()
                connection.close(.afterFlush)
            }
        } else if machine != nil {
            perform(machine!.tick(now: MonotonicClock.now()))
            rescheduleWebSocketTimer()
        }
    }
}
