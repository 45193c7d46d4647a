import HubbubIO
import HubbubWebSocket

/// One client connection through its life: the TCP connect, the RFC 6455 opening
/// handshake (`ClientHandshake`), then a client-role `WebSocketConnection` whose
/// actions this class carries out, and finally the closing handshake. Messages and
/// timing are in `ClientConnection+Messages.swift`, closing in `+Closing.swift`.
/// Everything happens on the connection's loop thread.
final class ClientConnection: ConnectionHandler {
    enum State {
        case connecting
        case handshaking
        case open
        case closed
    }

    let worker: LoopWorker
    /// The connection's number in the run, 0..<connections.
    let index: Int
    var state = State.connecting
    /// Set once the TCP connection is up, cleared when it is gone.
    var connection: Connection?
    /// Only while handshaking.
    var handshake: ClientHandshake?
    /// Only once the handshake succeeded.
    var socket: WebSocketConnection?
    /// The handshake completed: the connection counts in `connected`.
    var wasConnected = false
    /// Echo mode: the send loop (closed loop or rate timer) has started.
    var sending = false
    /// Messages sent whose echo has not come back.
    var outstanding = 0
    var sequence: UInt64 = 0
    /// Rate mode: the deadline of the next message.
    var nextSendAt: UInt64 = 0
    /// The rate timer, or the closing-handshake timer.
    var timer: TimerID?
    /// We started the closing handshake (the end of the run).
    var closeRequested = false
    /// An error on this connection was already counted; its close is not counted again.
    var failureCounted = false
    /// `--mode hub`: the `hubbub.v1` session (`ClientConnection+Hub.swift`).
    var hub: HubClientState?

    init(worker: LoopWorker, index: Int) {
        self.worker = worker
        self.index = index
        if let settings = worker.settings.hub {
            hub = HubClientState(index: index, settings: settings)
        }
    }

    var stats: LoopStats { worker.stats }

    // MARK: ConnectionHandler

    func connectionDidOpen(_ connection: Connection) {
        self.connection = connection
        state = .handshaking
        let key = worker.makeKey()
        let settings = worker.settings
        handshake = ClientHandshake(key: key, subprotocol: settings.subprotocol)
        var headers: [String] = []
        if let hubSettings = settings.hub {
            headers.append("Authorization: Bearer \(HubToken.mint(for: index, settings: hubSettings))")
        }
        let request = ClientHandshake.request(
            target: settings.target(of: index), key: key, subprotocol: settings.subprotocol, extraHeaders: headers)
        connection.send(ByteChunk(request))
    }

    func connection(_ connection: Connection, didRead bytes: UnsafeRawBufferPointer) {
        switch state {
        case .handshaking:
            readHandshake(bytes, on: connection)
        case .open:
            let actions = socket?.receive(bytes, now: connection.engine.now) ?? []
            perform(actions, on: connection)
        case .connecting, .closed:
            break
        }
    }

    func connectionDidClose(_ connection: Connection, error: IOError?) {
        cancelTimer(on: connection.engine)
        switch state {
        case .connecting:
            stats.update { counters in
                counters.connectFailures += 1
                counters.note(error.map { "\($0)" } ?? "connect: closed")
            }
            worker.connectFinished()
        case .handshaking:
            stats.update { counters in
                counters.handshakeFailures += 1
                counters.note("handshake: server closed the connection\(error.map { " (\($0))" } ?? "")")
            }
            worker.connectFinished()
        case .open:
            if socket != nil { perform(socket!.socketClosed(), on: connection) }
        case .closed:
            break
        }
        state = .closed
        if wasConnected { hubConnectionClosed() }
        let unanswered = outstanding
        outstanding = 0
        if wasConnected {
            stats.update { counters in
                counters.socketsClosed += 1
                counters.messagesUnanswered += unanswered
            }
        }
        handshake = nil
        socket = nil
        self.connection = nil
    }

    // MARK: Handshake

    private func readHandshake(_ bytes: UnsafeRawBufferPointer, on connection: Connection) {
        guard let outcome = handshake?.receive(bytes) else { return }
        switch outcome {
        case .needMoreData:
            return
        case .rejected(let reason):
            handshake = nil
            state = .closed
            stats.update { counters in
                counters.handshakeFailures += 1
                counters.note("handshake: \(reason)")
            }
            worker.connectFinished()
            connection.close(.immediately)
        case .accepted(let bodyStart):
            handshake = nil
            let now = MonotonicClock.now()
            socket = WebSocketConnection(
                role: .client, limits: worker.settings.webSocketLimits, timeouts: LoadSettings.webSocketTimeouts, now: now)
            state = .open
            wasConnected = true
            stats.update { counters in
                counters.connected += 1
                counters.lastConnectedAt = max(counters.lastConnectedAt, now)
            }
            worker.connectFinished()
            if worker.control.phase == .running { startSending(on: connection) }
            if bodyStart < bytes.count {
                let actions = socket?.receive(UnsafeRawBufferPointer(rebasing: bytes[bodyStart...]), now: now) ?? []
                perform(actions, on: connection)
            }
        }
    }

    /// Connect timeout: a connection still connecting or handshaking is closed, counted
    /// as aborted.
    func abortConnect(on connection: Connection) {
        guard state == .connecting || state == .handshaking else { return }
        state = .closed
        handshake = nil
        stats.update { $0.connectsAborted += 1 }
        worker.connectFinished()
        connection.close(.immediately)
    }

    // MARK: WebSocket actions

    func perform(_ actions: [WebSocketAction], on connection: Connection) {
        for action in actions {
            switch action {
            case .deliver(let message):
                if hub != nil {
                    hubDidReceive(message, on: connection)
                } else {
                    didReceive(message, on: connection)
                }
            case .send(let bytes):
                connection.sendIgnoringLimit(ByteChunk(bytes))
            case .closeSocket:
                connection.close(.afterFlush)
            case .closed(let code, let reason, let initiatedByPeer):
                webSocketClosed(code: code, reason: reason, initiatedByPeer: initiatedByPeer)
            }
        }
    }

    func cancelTimer(on engine: LoopEngine) {
        if let timer { engine.cancel(timer) }
        timer = nil
    }
}
