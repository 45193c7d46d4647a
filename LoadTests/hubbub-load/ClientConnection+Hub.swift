import HubbubIO
import HubbubWebSocket

/// The hub scenario on one connection (`--mode hub`): after `welcome`, `join` the room;
/// once the measured phase starts, a publisher sends `comment`s (paced, or one in
/// flight); every `comment.created` is timed from the `t=` in its text and its seq
/// checked against the previous one. State is in `HubClientState`.
extension ClientConnection {
    func hubDidReceive(_ message: WebSocketMessage, on connection: Connection) {
        let now = MonotonicClock.now()
        guard case .text(let bytes) = message else {
            noteAnomaly("binary message on /ws")
            return
        }
        let fullParse = worker.settings.hub?.fullParse ?? false
        guard let parsed = fullParse ? HubMessage(parsing: bytes) : HubMessage(scanning: bytes) else {
            noteAnomaly("server message without a readable type: \(String(decoding: bytes.prefix(80), as: UTF8.self))")
            return
        }
        switch parsed.kind {
        case .welcome:
            sendJoin(on: connection)
        case .ack:
            hubAck(parsed, now: now, on: connection)
        case .error:
            hubError(parsed, on: connection)
        case .comment, .otherEvent:
            hubEvent(parsed, now: now)
        case .other:
            stats.update { $0.hub.ignoredMessages += 1 }
        }
    }

    /// The measured phase began (or a publisher joined during it): start publishing.
    func startPublishing(on connection: Connection) {
        guard state == .open, !closeRequested, worker.control.phase == .running, var hub, hub.isPublisher,
              hub.phase == .joined, !hub.publishing
        else { return }
        hub.publishing = true
        if let interval = hub.interval {
            hub.nextSendAt = MonotonicClock.now() &+ worker.randomOffset(below: interval)
            self.hub = hub
            schedulePublishTimer(on: connection.engine)
        } else {
            self.hub = hub
            sendComment(stampedAt: MonotonicClock.now(), on: connection)
        }
    }

    /// The end of the run: events up to the room's highest acknowledged seq that this
    /// connection never received count as lost.
    func checkMissing(headSeqs: [Int64]) {
        guard let hub, hub.phase == .joined, state == .open else { return }
        let missing = headSeqs[hub.room] - (hub.lastSeq ?? 0)
        guard missing > 0 else { return }
        stats.update { counters in
            counters.hub.lost += Int(missing)
            counters.hub.missingAtEnd += Int(missing)
            counters.note("events never delivered: connection \(hub.index) in \(hub.roomID) stopped at seq \(hub.lastSeq ?? 0)")
        }
    }

    /// The socket is gone: replies still expected will not come.
    func hubConnectionClosed() {
        guard let hub else { return }
        let unanswered = hub.inFlight.count
        let joinLost = hub.phase == .joining || hub.phase == .awaitingWelcome
        if unanswered > 0 || joinLost {
            stats.update { counters in
                counters.hub.commentsUnanswered += unanswered
                if joinLost { counters.hub.joinsLost += 1 }
            }
        }
        self.hub?.inFlight = [:]
        if joinLost { self.hub?.phase = .failed }
    }

    // MARK: Replies

    private func sendJoin(on connection: Connection) {
        guard let hub, hub.phase == .awaitingWelcome else {
            noteAnomaly("welcome received twice")
            return
        }
        self.hub?.phase = .joining
        let runID = worker.settings.hub?.runID ?? ""
        sendText("{\"type\":\"join\",\"id\":\"\(runID)-\(hub.index)-j\",\"room\":\"\(hub.roomID)\"}", on: connection)
    }

    private func hubAck(_ message: HubMessage, now: UInt64, on connection: Connection) {
        guard let hub else { return }
        switch message.replyTo {
        case .join where hub.phase == .joining:
            self.hub?.phase = .joined
            if self.hub?.lastSeq == nil { self.hub?.lastSeq = message.headSeq }
            stats.recordJoin(room: hub.room, at: now)
            startPublishing(on: connection)
        case .comment(let number):
            guard let sentAt = self.hub?.inFlight.removeValue(forKey: number) else {
                noteAnomaly("ack for comment \(number), which is not awaiting a reply")
                return
            }
            stats.recordAck(room: hub.room, seq: message.seq, latency: now &- sentAt)
            if hub.interval == nil { sendNextInClosedLoop(on: connection) }
        default:
            noteAnomaly("ack for a command not sent or already answered")
        }
    }

    private func hubError(_ message: HubMessage, on connection: Connection) {
        guard let hub else { return }
        let code = message.code ?? "(no code)"
        var commentFailed = false
        var joinFailed = false
        switch message.replyTo {
        case .join where hub.phase == .joining:
            self.hub?.phase = .failed
            joinFailed = true
        case .comment(let number):
            commentFailed = self.hub?.inFlight.removeValue(forKey: number) != nil
        default:
            break
        }
        stats.update { counters in
            counters.hub.errorCodes[code, default: 0] += 1
            if joinFailed { counters.hub.joinErrors += 1 }
            if commentFailed { counters.hub.commentsFailed += 1 }
            counters.note("error reply \(code) to \(joinFailed ? "join" : commentFailed ? "comment" : "an unknown command")")
        }
        if commentFailed, hub.interval == nil, let engine = self.connection?.engine {
            // Closed loop: the next comment after the server's back-off (or a short pause).
            let delay = message.retryAfterMilliseconds.map { UInt64(max(0, $0)) * 1_000_000 } ?? HubSettings.retryDelay
            timer = engine.schedule(after: max(delay, HubSettings.retryDelay)) { [weak self] in
                guard let self, let connection = self.connection else { return }
                self.timer = nil
                self.sendNextInClosedLoop(on: connection)
            }
        }
    }

    // MARK: Events

    private func hubEvent(_ message: HubMessage, now: UInt64) {
        guard hub != nil else { return }
        guard let seq = message.seq else {
            noteAnomaly("durable event without a seq")
            return
        }
        if hub?.phase != .joined { noteAnomaly("durable event before the join ack") }
        let outcome = hub!.take(seq: seq)
        let latency: UInt64? = message.sentAt.map { now &- $0 }
        if message.kind == .comment, latency == nil { noteAnomaly("comment.created without a t= marker") }
        stats.recordEvent(comment: message.kind == .comment, latency: latency, outcome: outcome)
    }

    // MARK: Publishing

    private func sendNextInClosedLoop(on connection: Connection) {
        guard worker.control.phase == .running, state == .open, !closeRequested, hub?.publishing == true else { return }
        sendComment(stampedAt: MonotonicClock.now(), on: connection)
    }

    private func schedulePublishTimer(on engine: LoopEngine) {
        guard let due = hub?.nextSendAt else { return }
        timer = engine.schedule(at: due) { [weak self] in
            self?.publishTimerFired()
        }
    }

    /// Paced: the stamp is the time the comment was due, not when the timer got to run,
    /// so a client that falls behind shows in the latency (coordinated omission).
    private func publishTimerFired() {
        timer = nil
        guard state == .open, !closeRequested, let connection, worker.control.phase == .running,
              let hub, let interval = hub.interval
        else { return }
        if hub.inFlight.count >= HubSettings.maxInFlight || connection.queuedBytes > LoadSettings.maxBacklogBytes {
            stats.update { $0.hub.turnsSkipped += 1 }
        } else {
            sendComment(stampedAt: hub.nextSendAt, on: connection)
        }
        var next = hub.nextSendAt &+ interval
        // More than a second behind: start over from now rather than send a burst.
        let now = connection.engine.now
        if next &+ 1_000_000_000 < now { next = now }
        self.hub?.nextSendAt = next
        schedulePublishTimer(on: connection.engine)
    }

    private func sendComment(stampedAt stamp: UInt64, on connection: Connection) {
        guard let hub else { return }
        let number = hub.nextNumber
        let runID = worker.settings.hub?.runID ?? ""
        let text = "{\"type\":\"comment\",\"id\":\"\(runID)-\(hub.index)-\(number)\",\"room\":\"\(hub.roomID)\","
            + "\"card_id\":\"\(HubSettings.cardID)\",\"text\":\"t=\(stamp) n=\(number)\"}"
        guard sendText(text, on: connection) else { return }
        self.hub?.nextNumber = number + 1
        self.hub?.inFlight[number] = stamp
        stats.update { $0.hub.commentsSent += 1 }
    }

    @discardableResult
    private func sendText(_ text: String, on connection: Connection) -> Bool {
        guard let frame = socket?.encode(.text(Array(text.utf8))) else { return false }
        guard connection.send(ByteChunk(frame)) else {
            stats.update { counters in
                counters.sendsRefused += 1
                counters.note("send refused: send queue full or connection closing")
            }
            return false
        }
        return true
    }

    private func noteAnomaly(_ reason: String) {
        stats.update { counters in
            counters.hub.anomalies += 1
            counters.note(reason)
        }
    }
}
