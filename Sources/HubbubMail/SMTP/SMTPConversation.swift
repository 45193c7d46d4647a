/// The client side of one SMTP session that sends one message, as an I/O-free state
/// machine: the driver (``SMTPClient``) connects, then feeds every server reply to
/// ``receive(_:)`` and performs the returned ``Action``; after a TLS handshake it calls
/// ``tlsEstablished()``. No pipelining: one command, one reply.
///
/// ```
/// greeting 220 → EHLO → [STARTTLS → 220 → handshake → EHLO] → [AUTH PLAIN | AUTH LOGIN]
///   → MAIL FROM → RCPT TO (each) → DATA → 354 → message . → 250 → QUIT
/// ```
/// EHLO refused with 5xx falls back to HELO when neither TLS nor AUTH is needed.
struct SMTPConversation {
    enum Action: Equatable {
        /// Write these bytes, then read the next reply.
        case send([UInt8])
        /// Run the TLS handshake, then call ``tlsEstablished()``.
        case startTLS
        /// The server took responsibility for the message: write `quit` (best effort),
        /// close. Errors from here on do not matter.
        case accepted(quit: [UInt8])
        /// Give up: write `quit` if given (best effort), close, report the error.
        case failed(SMTPError, quit: [UInt8]?)
    }

    private enum State: Equatable {
        case greeting, ehlo, helo, startTLS, tlsHandshake
        case authPlain, authLoginUser, authLoginPassword, authLoginDone
        case mailFrom, rcptTo(Int), data, dataEnd, finished
    }

    private let settings: SMTPSettings
    private let envelope: SMTPEnvelope
    private var state = State.greeting
    private(set) var tlsActive: Bool
    private(set) var capabilities = SMTPCapabilities()

    private static let quit = Array("QUIT\r\n".utf8)

    /// `tlsActive`: the connection is already TLS (implicit TLS: the driver did the
    /// handshake before the greeting).
    init(settings: SMTPSettings, envelope: SMTPEnvelope, tlsActive: Bool = false) {
        self.settings = settings
        self.envelope = envelope
        self.tlsActive = tlsActive
    }

    /// The stage the session is in, for errors the driver detects (timeouts, I/O).
    var stage: SMTPError.Stage {
        switch state {
        case .greeting: .greeting
        case .ehlo, .helo: .ehlo
        case .startTLS: .startTLS
        case .tlsHandshake: .tlsHandshake
        case .authPlain, .authLoginUser, .authLoginPassword, .authLoginDone: .auth
        case .mailFrom: .mailFrom
        case .rcptTo: .rcptTo
        case .data: .data
        case .dataEnd: .dataEnd
        case .finished: .quit
        }
    }

    mutating func receive(_ reply: SMTPReply) -> Action {
        switch state {
        case .greeting:
            guard reply.code == 220 else { return fail(reply) }
            return ehlo()
        case .ehlo:
            if reply.code == 250 {
                capabilities = SMTPCapabilities(ehlo: reply)
                return afterHello()
            }
            let needsExtensions = settings.credentials != nil || (settings.security == .startTLS && !tlsActive)
            guard reply.isPermanentFailure, !needsExtensions else { return fail(reply) }
            state = .helo
            return .send(Self.line("HELO \(settings.heloName)"))
        case .helo:
            guard reply.code == 250 else { return fail(reply) }
            capabilities = SMTPCapabilities()
            return afterHello()
        case .startTLS:
            guard reply.code == 220 else { return fail(reply) }
            state = .tlsHandshake
            return .startTLS
        case .tlsHandshake:
            return finish(.malformedReply("a reply during the TLS handshake"), quit: false)
        case .authPlain, .authLoginDone:
            guard reply.code == 235 else { return fail(reply) }
            return mailFrom()
        case .authLoginUser:
            guard reply.code == 334, let credentials = settings.credentials else { return fail(reply) }
            state = .authLoginPassword
            return .send(Self.line(Base64.encode(Array(credentials.username.utf8))))
        case .authLoginPassword:
            guard reply.code == 334, let credentials = settings.credentials else { return fail(reply) }
            state = .authLoginDone
            return .send(Self.line(Base64.encode(Array(credentials.password.utf8))))
        case .mailFrom:
            guard reply.code == 250 else { return fail(reply) }
            return rcptTo(0)
        case .rcptTo(let index):
            guard reply.code == 250 || reply.code == 251 else { return fail(reply) }
            return rcptTo(index + 1)
        case .data:
            guard reply.code == 354 else { return fail(reply) }
            state = .dataEnd
            return .send(DotStuffing.encode(envelope.data))
        case .dataEnd:
            guard reply.code == 250 else { return fail(reply) }
            state = .finished
            return .accepted(quit: Self.quit)
        case .finished:
            return finish(.malformedReply("a reply after the session ended"), quit: false)
        }
    }

    /// The TLS handshake after STARTTLS succeeded: greet again (RFC 3207 4.2: forget
    /// what the server said before).
    mutating func tlsEstablished() -> Action {
        guard state == .tlsHandshake else {
            return finish(.tls("handshake outside STARTTLS"), quit: false)
        }
        tlsActive = true
        return ehlo()
    }

    // MARK: Steps

    private mutating func ehlo() -> Action {
        state = .ehlo
        return .send(Self.line("EHLO \(settings.heloName)"))
    }

    private mutating func afterHello() -> Action {
        if settings.security == .startTLS && !tlsActive {
            guard capabilities.startTLS else {
                return finish(.unsupported("STARTTLS", at: .startTLS), quit: true)
            }
            state = .startTLS
            return .send(Self.line("STARTTLS"))
        }
        guard let credentials = settings.credentials else { return mailFrom() }
        guard tlsActive || settings.allowPlaintextAuth else {
            return finish(.unsupported("AUTH over TLS (refusing to send a password in clear)", at: .auth), quit: true)
        }
        if capabilities.authMechanisms.contains("PLAIN") {
            state = .authPlain
            let response = [0] + Array(credentials.username.utf8) + [0] + Array(credentials.password.utf8)
            return .send(Self.line("AUTH PLAIN " + Base64.encode(response)))
        }
        if capabilities.authMechanisms.contains("LOGIN") {
            state = .authLoginUser
            return .send(Self.line("AUTH LOGIN"))
        }
        return finish(.unsupported("AUTH PLAIN or LOGIN", at: .auth), quit: true)
    }

    private mutating func mailFrom() -> Action {
        state = .mailFrom
        return .send(Self.line("MAIL FROM:<\(envelope.from)>"))
    }

    private mutating func rcptTo(_ index: Int) -> Action {
        guard index < envelope.recipients.count else {
            state = .data
            return .send(Self.line("DATA"))
        }
        state = .rcptTo(index)
        return .send(Self.line("RCPT TO:<\(envelope.recipients[index])>"))
    }

    private mutating func fail(_ reply: SMTPReply) -> Action {
        finish(.reply(reply, at: stage), quit: reply.code != 421)  // 421: the server is closing
    }

    private mutating func finish(_ error: SMTPError, quit: Bool) -> Action {
        let error = error.at(stage)
        state = .finished
        return .failed(error, quit: quit ? Self.quit : nil)
    }

    private static func line(_ text: String) -> [UInt8] { Array((text + "\r\n").utf8) }
}
