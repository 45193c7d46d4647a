import HubbubOps
import HubbubServer
import Logging
import HubbubIO
import HubbubJSON
import HubbubPresence
import HubbubStore
import HubbubWebSocket

extension HubSession {
    /// A text message from the client: decoded and rate limited now, answered in order.
    func received(_ bytes: [UInt8]) {
        hub.metrics.messagesReceived.increment()
        let item: QueueItem
        switch hub.decoder.decode(bytes) {
        case .failure(let failure):
            item = .reply(ServerMessage.error(id: failure.id, failure.error))
            malformedInARow = failure.error.code.isMalformed ? malformedInARow + 1 : 0
        case .success(let message):
            malformedInARow = 0
            if let limited = rateLimit(message.command) {
                item = .reply(ServerMessage.error(id: message.id, limited))
            } else {
                item = .command(message)
            }
        }
        guard queue.count < hub.configuration.maxPendingCommands else {
            close(.policyViolation, "too many commands waiting for a reply")
            return
        }
        queue.append(item)
        pump()
        if malformedInARow >= hub.configuration.maxMalformedInARow {
            close(.policyViolation, "too many malformed messages in a row")
        }
    }

    /// The `commands` and `ephemeral` buckets (presence updates are limited by the room).
    private func rateLimit(_ command: ClientCommand) -> ProtocolError? {
        let now = MonotonicClock.now()
        let bucket: String
        let decision: TokenBucket.Decision
        let perSecond: Double
        let burst: Int
        switch command {
        case .presenceUpdate:
            return nil
        case .ephemeral:
            decision = ephemeralBucket.consume(now: now)
            (bucket, perSecond, burst) = ("ephemeral", hub.configuration.ephemeralPerSecond, hub.configuration.ephemeralBurst)
        default:
            decision = commandBucket.consume(now: now)
            (bucket, perSecond, burst) = ("commands", hub.configuration.commandsPerSecond, hub.configuration.commandsBurst)
        }
        guard case .limited(let retryAfter) = decision else { return nil }
        return ProtocolError(
            .rateLimited, "\(bucket) are limited to \(perSecond) per second (burst \(burst))",
            details: .object(["bucket": .string(bucket)]), retryAfterMilliseconds: Int((retryAfter + 999_999) / 1_000_000))
    }

    /// Runs queued items until one has to wait.
    func pump() {
        while !busy, !closed, !queue.isEmpty {
            switch queue.removeFirst() {
            case .reply(let bytes):
                send(bytes)
            case .command(let message):
                execute(message)
            }
        }
    }

    func reply(id: String?, _ error: ProtocolError) {
        send(ServerMessage.error(id: id, error))
    }

    /// Sends the reply of the command in progress and goes on with the queue.
    func finish(_ reply: [UInt8]) {
        busy = false
        send(reply)
        pump()
    }

    private func execute(_ message: ClientMessage) {
        let id = message.id
        guard identity != nil || message.command.isAllowedBeforeAuth else {
            reply(id: id, Authenticator.unauthorized(reason: "not_authenticated", "send auth first"))
            return
        }
        switch message.command {
        case .auth(let token):
            handleAuth(id: id, token: token)
        case .ping:
            send(ServerMessage.ack(id: id) { $0.member("server_time", RFC3339.format(unixMillis: WallClock.nowMillis())) })
        case .join(let room, let sinceSeq, let presence):
            join(id: id, room: room, sinceSeq: sinceSeq, presence: presence)
        case .leave(let room):
            guard let link = rooms.removeValue(forKey: room), let ref else { return reply(id: id, .notJoined(room)) }
            let connID = connID
            let joined = link.room
            awaitRoom { await joined.leave(ref, connID: connID, graceful: false) } then: { session, _ in
                session.finish(ServerMessage.ack(id: id) { $0.member("room", room) })
            }
        case .board(let room):
            guard let link = joinedLink(room) else { return reply(id: id, .notJoined(room)) }
            let joined = link.room
            awaitRoom { await joined.boardResult() } then: { session, result in
                session.finish(Self.encode(id: id, result))
            }
        case .comment(let room, let cardID, let text, let echo):
            perform(id: id, room: room, kind: .comment(cardID: cardID, text: text), echo: echo)
        case .cardCreate(let room, let columnID, let position, let title, let echo):
            perform(id: id, room: room, kind: .cardCreate(columnID: columnID, position: position, title: title), echo: echo)
        case .cardMove(let room, let cardID, let toColumnID, let toPosition, let expectedVersion, let echo):
            perform(
                id: id, room: room,
                kind: .cardMove(cardID: cardID, toColumnID: toColumnID, toPosition: toPosition, expectedVersion: expectedVersion),
                echo: echo)
        case .ephemeral(let room, let key, let data):
            guard let link = joinedLink(room), let ref, let identity else { return reply(id: id, .notJoined(room)) }
            let json = ServerMessage.ephemeralRelay(
                room: room, key: key, data: data, identity: identity, connID: connID, nowMillis: WallClock.nowMillis())
            let coalesceKey = connID + "\u{1F}" + key
            let joined = link.room
            awaitRoom { await joined.relay(from: ref, coalesceKey: coalesceKey, json: json) } then: { session, _ in
                session.finish(ServerMessage.ack(id: id))
            }
        case .presenceUpdate(let room, let state):
            guard let link = joinedLink(room) else { return reply(id: id, .notJoined(room)) }
            let connID = connID
            let value = PresenceValue(json: state)
            let joined = link.room
            awaitRoom { await joined.updatePresence(connID: connID, state: value) } then: { session, result in
                session.finish(Self.encode(id: id, result.map { [UInt8]("{}".utf8) }))
            }
        case .presenceRoster(let room, let cursor, let limit):
            guard let link = joinedLink(room) else { return reply(id: id, .notJoined(room)) }
            let joined = link.room
            awaitRoom { await joined.rosterResult(cursor: cursor, limit: limit) } then: { session, result in
                session.finish(ServerMessage.ack(id: id, rawResult: result))
            }
        }
    }

    /// The link of a room whose join completed.
    func joinedLink(_ room: String) -> RoomLink? {
        guard let link = rooms[room], link.phase != .joining else { return nil }
        return link
    }

    /// Runs `work` off the loop (it awaits a room), then `then` back on this session's loop
    /// thread; the queue waits meanwhile, so replies stay in command order.
    func awaitRoom<T: Sendable>(
        _ work: @escaping @Sendable () async -> T, then: @escaping @Sendable (HubSession, T) -> Void
    ) {
        guard let ref else { return }
        busy = true
        let hub = hub
        Task {
            let value = await work()
            HubSession.resume(hub, ref) { session in then(session, value) }
        }
    }

    static func encode(id: String, _ result: Result<[UInt8], ProtocolError>) -> [UInt8] {
        switch result {
        case .success(let bytes): ServerMessage.ack(id: id, rawResult: bytes)
        case .failure(let error): ServerMessage.error(id: id, error)
        }
    }
}

extension ClientCommand {
    var isAllowedBeforeAuth: Bool {
        switch self {
        case .auth, .ping: true
        default: false
        }
    }
}
