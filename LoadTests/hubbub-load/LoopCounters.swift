/// What happened on one loop (or, summed, on all of them). Connect outcomes are
/// exclusive: every connect started ends as exactly one of `connected`,
/// `connectFailures`, `handshakeFailures` or `connectsAborted`.
struct LoopCounters: Sendable {
    /// How many error descriptions are kept, for the report.
    static let keptErrorMessages = 5

    var connectsStarted = 0
    /// Handshakes completed (101 verified).
    var connected = 0
    /// TCP connects that failed.
    var connectFailures = 0
    /// Handshakes refused or malformed, or cut short by the server.
    var handshakeFailures = 0
    /// Connects still in progress when the connect timeout passed (closed then).
    var connectsAborted = 0
    /// Sockets of connected connections that are gone (so `connected - socketsClosed` are open).
    var socketsClosed = 0

    var messagesSent = 0
    var messagesReceived = 0
    /// Messages sent that had no echo when their connection ended.
    var messagesUnanswered = 0
    /// Sends refused because the connection's send queue was full or closed.
    var sendsRefused = 0
    /// Rate mode: turns skipped because the send queue was backed up.
    var sendsSkipped = 0

    /// Frames the client's WebSocket machine rejected, or echoes that did not match.
    var protocolErrors = 0
    /// The server closed (or dropped) a connection before the client asked to.
    var unexpectedCloses = 0
    /// Closing handshakes that ended with 1000.
    var closedCleanly = 0
    /// Closing handshakes that timed out or ended with another code.
    var closeFailures = 0

    /// `--mode hub`: the `hubbub.v1` figures.
    var hub = HubCounters()

    /// When the last handshake completed (monotonic ns), 0 if none did.
    var lastConnectedAt: UInt64 = 0
    /// The first few distinct error descriptions.
    var errorMessages: [String] = []

    /// Connects that have ended one way or another.
    var finishedConnecting: Int { connected + connectFailures + handshakeFailures + connectsAborted }

    /// Connected sockets not closed yet.
    var open: Int { connected - socketsClosed }

    /// Every error counted once.
    var errors: Int {
        connectFailures + handshakeFailures + connectsAborted + protocolErrors + unexpectedCloses + closeFailures
            + sendsRefused + hub.errors
    }

    /// What the messages/s figure counts: echoes, or (hub mode) comment events delivered.
    func received(mode: LoadMode) -> Int {
        mode == .hub ? hub.commentsDelivered : messagesReceived
    }

    mutating func note(_ message: String) {
        if errorMessages.count < Self.keptErrorMessages, !errorMessages.contains(message) {
            errorMessages.append(message)
        }
    }

    mutating func add(_ other: LoopCounters) {
        connectsStarted += other.connectsStarted
        connected += other.connected
        connectFailures += other.connectFailures
        handshakeFailures += other.handshakeFailures
        connectsAborted += other.connectsAborted
        socketsClosed += other.socketsClosed
        messagesSent += other.messagesSent
        messagesReceived += other.messagesReceived
        messagesUnanswered += other.messagesUnanswered
        sendsRefused += other.sendsRefused
        sendsSkipped += other.sendsSkipped
        protocolErrors += other.protocolErrors
        unexpectedCloses += other.unexpectedCloses
        closedCleanly += other.closedCleanly
        closeFailures += other.closeFailures
        lastConnectedAt = max(lastConnectedAt, other.lastConnectedAt)
        hub.add(other.hub)
        for message in other.errorMessages { note(message) }
    }
}
