import Logging
import HubbubIO
import HubbubJSON
import HubbubPresence

extension Room {
    /// `presence_update`: stored now, announced in the next diff.
    func updatePresence(connID: String, state: PresenceValue) -> Result<Void, ProtocolError> {
        let limits = hub.configuration.presence
        switch presence.update(connID: connID, state: state, now: MonotonicClock.now()) {
        case .ok:
            schedulePresenceFlush()
            if let userID = presence.userID(ofConnection: connID) { announceLocalPresence(connID: connID, userID: userID) }
            return .success(())
        case .rateLimited(let retryAfter):
            let milliseconds = Int((retryAfter + 999_999) / 1_000_000)
            return .failure(ProtocolError(
                .rateLimited,
                "presence updates are limited to \(limits.updatesPerSecond) per second (burst \(limits.updateBurst))",
                details: .object(["bucket": .string("presence_update")]), retryAfterMilliseconds: milliseconds))
        case .tooLarge(let bytes):
            return .failure(.tooLarge(
                field: "/state", limit: limits.maxMetaBytes, size: bytes,
                "presence state is \(bytes) bytes; the limit is \(limits.maxMetaBytes)"))
        case .notFound:
            return .failure(.notJoined(id))
        }
    }

    /// Relays an ephemeral signal to every other connection of the room.
    func relay(from sender: SessionRef, coalesceKey: String, json: [UInt8]) {
        guard let subscriber = subscribers[sender] else { return }
        deliverToAll(.ephemeral(room: id, coalesceKey: coalesceKey, frame: hub.textFrame(json)), excluding: sender)
        announceEphemeral(senderConnID: subscriber.connID, coalesceKey: coalesceKey, json: json)
    }

    /// One page of the roster as the `presence_roster` result.
    func rosterResult(cursor: String?, limit: Int) -> [UInt8] {
        let page = presence.roster(after: cursor, limit: limit)
        var out = JSONOutput(capacity: 1024)
        out.beginObject()
        out.member("room", id)
        out.key("presences")
        ServerMessage.writePresences(page.entries, to: &out)
        out.member("next_cursor", optional: page.nextCursor)
        ServerMessage.writeCounts(page.counts, to: &out)
        out.endObject()
        return out.bytes
    }

    /// Arms one wake-up at the presence's next deadline (end of a batch window or grace).
    func schedulePresenceFlush() {
        guard !flushScheduled, let deadline = presence.nextDeadline else { return }
        flushScheduled = true
        let now = MonotonicClock.now()
        let delay = deadline > now ? deadline - now : 0
        Task {
            if delay > 0 { try? await Task.sleep(nanoseconds: delay) }
            self.flushPresence()
        }
    }

    private func flushPresence() {
        flushScheduled = false
        if let diff = presence.flush(now: MonotonicClock.now()) {
            let frame = hub.textFrame(ServerMessage.presenceDiff(room: id, diff))
            deliverToAll(.presence(room: id, frame: frame))
        }
        schedulePresenceFlush()
        retireIfIdle()
    }
}
