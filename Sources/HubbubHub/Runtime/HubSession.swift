import HubbubOps
import Logging
import HubbubIO
import HubbubJSON
import HubbubPresence
import HubbubServer
import HubbubStore
import HubbubWebSocket

/// One `/ws` connection: authentication, its commands (one at a time, in order), the rooms
/// it joined and what it is sent. Lives on its connection's loop thread; rooms and the hub
/// reach it through its ``SessionRef``.
final class HubSession: WebSocketSession {
    enum QueueItem {
        case command(ClientMessage)
        case reply([UInt8])
    }

    let hub: Hub
    var channel: (any WebSocketChannel)?
    var ref: SessionRef?
    var identity: Identity?
    var connID: String
    var resumed = false
    let resumeRequest: String?
    var inDirectory = false
    var closed = false

    var queue: [QueueItem] = []
    var busy = false
    var malformedInARow = 0
    var commandBucket: TokenBucket
    var ephemeralBucket: TokenBucket

    var rooms: [String: RoomLink] = [:]
    var nextLinkEpoch: UInt64 = 0

    var authTimer: TimerID?
    var warningTimer: TimerID?
    var expiryTimer: TimerID?

    /// Ephemeral relays held back under backpressure, latest per key, in arrival order.
    var coalesced: [String: ByteChunk] = [:]
    var coalescedOrder: [String] = []
    var coalesceTimer: TimerID?

    init(hub: Hub, identity: Identity?, resume: String?) {
        self.hub = hub
        self.identity = identity
        self.resumeRequest = resume
        self.connID = Self.newConnID()
        let configuration = hub.configuration
        commandBucket = TokenBucket(ratePerSecond: configuration.commandsPerSecond, burst: configuration.commandsBurst)
        ephemeralBucket = TokenBucket(ratePerSecond: configuration.ephemeralPerSecond, burst: configuration.ephemeralBurst)
    }

    var engine: LoopEngine? { channel?.engine }
    var loopSessions: LoopSessions? { ref.map { hub.loops[$0.loop] } }

    // MARK: WebSocketSession

    func webSocketDidOpen(_ socket: any WebSocketChannel) {
        channel = socket
        hub.metrics.connections.increment()
        let loopIndex = socket.engine.loop.index
        ref = hub.loops[loopIndex].register(self)
        if identity != nil {
            guard authenticated(firstTime: true) else {
                identity = nil
                close(HubCloseCode.tooManyConnections, "too many connections for this user")
                return
            }
            sendWelcome()
        } else {
            authTimer = socket.engine.schedule(after: hub.configuration.authTimeout) { [weak self] in
                guard let self, self.identity == nil else { return }
                self.close(HubCloseCode.authenticationTimeout, "no auth within the authentication timeout")
            }
        }
    }

    func webSocket(_ socket: any WebSocketChannel, didReceive message: WebSocketMessage) {
        guard !closed else { return }
        switch message {
        case .binary:
            close(.unsupportedData, "binary messages are not part of hubbub.v1")
        case .text(let bytes):
            received(bytes)
        }
    }

    func webSocketDidClose(code: WebSocketCloseCode, reason: String) {
        guard !closed else { return }
        closed = true
        hub.metrics.connections.decrement()
        if code == HubCloseCode.slowConsumer { hub.metrics.slowConsumerCloses.increment() }
        for timer in [authTimer, warningTimer, expiryTimer, coalesceTimer] {
            if let timer { engine?.cancel(timer) }
        }
        let links = rooms
        rooms.removeAll()
        if let ref {
            let connID = connID
            for link in links.values {
                let room = link.room
                Task { await room.leave(ref, connID: connID, graceful: true) }
            }
            if let identity, inDirectory {
                if hub.users.remove(ref, userID: identity.userID) { hub.cluster?.userLeft(identity.userID) }
                hub.resumes.connectionEnded(connID: connID, userID: identity.userID, now: MonotonicClock.now())
            }
            hub.loops[ref.loop].remove(ref)
        }
        queue.removeAll()
        coalesced.removeAll()
        channel = nil
    }

    // MARK: Sending

    /// Queues one message; false when the connection is closing or was closed as a slow consumer.
    @discardableResult
    func send(_ json: [UInt8]) -> Bool {
        guard let channel, !closed else { return false }
        hub.metrics.messagesSent.increment()
        return channel.send(frame: hub.textFrame(json))
    }

    @discardableResult
    func send(frame: ByteChunk) -> Bool {
        guard let channel, !closed else { return false }
        hub.metrics.messagesSent.increment()
        return channel.send(frame: frame)
    }

    func close(_ code: WebSocketCloseCode, _ reason: String) {
        channel?.close(code: code, reason: reason)
    }

    /// Runs `body` on this session's loop if it still exists; `orphaned` otherwise.
    static func resume(
        _ hub: Hub, _ ref: SessionRef, orphaned: @escaping @Sendable () -> Void = {},
        _ body: @escaping @Sendable (HubSession) -> Void
    ) {
        hub.loops[ref.loop].onLoop { sessions in
            if let session = sessions.session(ref), !session.closed {
                body(session)
            } else {
                orphaned()
            }
        }
    }

    private static let idAlphabet = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    static func newConnID() -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes: [UInt8] = Array("cn_".utf8)
        for _ in 0..<16 { bytes.append(idAlphabet[Int(generator.next(upperBound: UInt64(idAlphabet.count)))]) }
        return String(decoding: bytes, as: UTF8.self)
    }
}
