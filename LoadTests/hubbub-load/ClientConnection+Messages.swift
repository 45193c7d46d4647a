import HubbubIO
import HubbubWebSocket

/// Echo traffic: binary messages whose first 8 bytes are the send time (monotonic ns,
/// little-endian) and next 8 a sequence number, the rest filler. Closed loop sends the
/// next message when an echo arrives; rate mode sends on a per-connection timer.
extension ClientConnection {
    /// Starts the send loop (echo mode, measured phase). Idempotent.
    func startSending(on connection: Connection) {
        guard state == .open, !sending, worker.settings.mode == .echo, !closeRequested else { return }
        sending = true
        if let interval = worker.settings.sendInterval {
            nextSendAt = MonotonicClock.now() &+ worker.randomOffset(below: interval)
            scheduleRateTimer(on: connection.engine)
        } else if send(stampedAt: MonotonicClock.now(), on: connection) {
            stats.update { $0.messagesSent += 1 }
        }
    }

    /// Encodes and queues one message. Returns whether it was queued.
    func send(stampedAt stamp: UInt64, on connection: Connection) -> Bool {
        var payload = worker.payloadTemplate
        payload.withUnsafeMutableBytes { bytes in
            bytes.storeBytes(of: stamp.littleEndian, toByteOffset: 0, as: UInt64.self)
            bytes.storeBytes(of: sequence.littleEndian, toByteOffset: 8, as: UInt64.self)
        }
        sequence &+= 1
        guard let frame = socket?.encode(.binary(payload)) else { return false }
        guard connection.send(ByteChunk(frame)) else {
            stats.update { counters in
                counters.sendsRefused += 1
                counters.note("send refused: send queue full or connection closing")
            }
            return false
        }
        outstanding += 1
        return true
    }

    func didReceive(_ message: WebSocketMessage, on connection: Connection) {
        let now = MonotonicClock.now()
        guard case .binary(let payload) = message, payload.count == worker.settings.messageSize, outstanding > 0 else {
            failProtocol("unexpected message from the server (not the echo of a message sent)", on: connection)
            return
        }
        let stamp = UInt64(littleEndian: payload.withUnsafeBytes { $0.loadUnaligned(as: UInt64.self) })
        outstanding -= 1
        let sentNext = worker.settings.sendInterval == nil && worker.control.phase == .running
            && send(stampedAt: now, on: connection)
        stats.recordEcho(latency: now &- stamp, sentNext: sentNext)
    }

    /// Rate mode. The stamp is the time the message was due, not when the timer got to
    /// run: a client that falls behind shows up in the latency instead of hiding it
    /// (coordinated omission).
    private func scheduleRateTimer(on engine: LoopEngine) {
        timer = engine.schedule(at: nextSendAt) { [weak self] in
            self?.rateTimerFired()
        }
    }

    private func rateTimerFired() {
        timer = nil
        guard state == .open, !closeRequested, let connection, worker.control.phase == .running,
              let interval = worker.settings.sendInterval
        else { return }
        if connection.queuedBytes > LoadSettings.maxBacklogBytes {
            stats.update { $0.sendsSkipped += 1 }
        } else if send(stampedAt: nextSendAt, on: connection) {
            stats.update { $0.messagesSent += 1 }
        }
        nextSendAt &+= interval
        // More than a second behind: start over from now rather than send a burst.
        let now = connection.engine.now
        if nextSendAt &+ 1_000_000_000 < now { nextSendAt = now }
        scheduleRateTimer(on: connection.engine)
    }

    /// The server broke the echo contract: count it once and close with 1002.
    private func failProtocol(_ reason: String, on connection: Connection) {
        guard !failureCounted else { return }
        failureCounted = true
        stats.update { counters in
            counters.protocolErrors += 1
            counters.note(reason)
        }
        cancelTimer(on: connection.engine)
        let actions = socket?.close(code: .protocolError, reason: "unexpected message", now: connection.engine.now) ?? []
        perform(actions, on: connection)
        armCloseTimer(on: connection.engine)
    }
}
