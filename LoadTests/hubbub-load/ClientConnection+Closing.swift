import HubbubIO
import HubbubWebSocket

/// The closing handshake at the end of a run, and the accounting of how each
/// WebSocket ended.
extension ClientConnection {
    /// Sends a close frame with 1000 and waits (at most the close timeout) for the
    /// server's. A connection still connecting is aborted instead.
    func beginClose(on connection: Connection) {
        switch state {
        case .connecting, .handshaking:
            abortConnect(on: connection)
        case .open:
            guard !closeRequested, socket != nil else { return }
            closeRequested = true
            cancelTimer(on: connection.engine)
            perform(socket!.close(code: .normalClosure, reason: "", now: connection.engine.now), on: connection)
            armCloseTimer(on: connection.engine)
        case .closed:
            break
        }
    }

    /// Runs the machine's timers (the close timeout) when they are due.
    func armCloseTimer(on engine: LoopEngine) {
        guard timer == nil, let deadline = socket?.nextDeadline else { return }
        timer = engine.schedule(at: deadline) { [weak self] in
            self?.closeTimerFired()
        }
    }

    private func closeTimerFired() {
        timer = nil
        guard let connection, socket != nil else { return }
        perform(socket!.tick(now: MonotonicClock.now()), on: connection)
        armCloseTimer(on: connection.engine)
    }

    /// The machine reports the end of the WebSocket (exactly once).
    func webSocketClosed(code: WebSocketCloseCode, reason: String, initiatedByPeer: Bool) {
        if failureCounted { return }
        let closeRequested = self.closeRequested
        stats.update { counters in
            if closeRequested {
                if code == .normalClosure {
                    counters.closedCleanly += 1
                } else {
                    counters.closeFailures += 1
                    counters.note("closing handshake ended with \(code)\(reason.isEmpty ? "" : ": \(reason)")")
                }
            } else if initiatedByPeer {
                counters.unexpectedCloses += 1
                counters.note("server closed the connection: \(code)\(reason.isEmpty ? "" : ": \(reason)")")
            } else {
                counters.protocolErrors += 1
                counters.note("WebSocket protocol error: \(code)\(reason.isEmpty ? "" : ": \(reason)")")
            }
        }
    }
}
