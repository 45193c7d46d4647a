import Testing

@testable import HubbubMail

/// The client's side of a session, driven by scripted replies: no socket.
@Suite("SMTP conversation")
struct SMTPConversationTests {
    private static let envelope = SMTPEnvelope(
        from: "notify@example.com", recipients: ["bob@example.com"], data: Array("Subject: hi\r\n\r\n.hidden\r\nbye\r\n".utf8))

    private static func r(_ code: Int, _ lines: String...) -> SMTPReply {
        SMTPReply(code: code, lines: lines.isEmpty ? [""] : lines)
    }

    private static func text(_ action: SMTPConversation.Action) -> String {
        switch action {
        case .send(let bytes): String(decoding: bytes, as: UTF8.self)
        case .startTLS: "<starttls>"
        case .accepted(let quit): "<accepted " + String(decoding: quit, as: UTF8.self) + ">"
        case .failed(let error, let quit): "<failed \(error) quit=\(quit != nil)>"
        }
    }

    @Test func plainSession() {
        var c = SMTPConversation(settings: SMTPSettings(heloName: "hub.local"), envelope: Self.envelope)
        #expect(Self.text(c.receive(Self.r(220, "ready"))) == "EHLO hub.local\r\n")
        #expect(Self.text(c.receive(Self.r(250, "mx", "SIZE 100"))) == "MAIL FROM:<notify@example.com>\r\n")
        #expect(Self.text(c.receive(Self.r(250))) == "RCPT TO:<bob@example.com>\r\n")
        #expect(Self.text(c.receive(Self.r(250))) == "DATA\r\n")
        #expect(Self.text(c.receive(Self.r(354))) == "Subject: hi\r\n\r\n..hidden\r\nbye\r\n.\r\n")
        #expect(Self.text(c.receive(Self.r(250, "queued"))) == "<accepted QUIT\r\n>")
    }

    @Test func startTLSThenAuthPlain() {
        let settings = SMTPSettings(
            heloName: "h", security: .startTLS, credentials: .init(username: "user", password: "pass"))
        var c = SMTPConversation(settings: settings, envelope: Self.envelope)
        _ = c.receive(Self.r(220))
        #expect(Self.text(c.receive(Self.r(250, "mx", "STARTTLS", "AUTH PLAIN LOGIN"))) == "STARTTLS\r\n")
        #expect(Self.text(c.receive(Self.r(220, "go ahead"))) == "<starttls>")
        #expect(Self.text(c.tlsEstablished()) == "EHLO h\r\n")
        #expect(c.tlsActive)
        // "\0user\0pass"
        #expect(Self.text(c.receive(Self.r(250, "mx", "AUTH LOGIN PLAIN"))) == "AUTH PLAIN AHVzZXIAcGFzcw==\r\n")
        #expect(Self.text(c.receive(Self.r(235))) == "MAIL FROM:<notify@example.com>\r\n")
    }

    @Test func authLogin() {
        let settings = SMTPSettings(
            heloName: "h", security: .implicitTLS, credentials: .init(username: "user", password: "pass"))
        var c = SMTPConversation(settings: settings, envelope: Self.envelope, tlsActive: true)
        _ = c.receive(Self.r(220))
        #expect(Self.text(c.receive(Self.r(250, "mx", "AUTH=LOGIN"))) == "AUTH LOGIN\r\n")
        #expect(Self.text(c.receive(Self.r(334, "VXNlcm5hbWU6"))) == "dXNlcg==\r\n")
        #expect(Self.text(c.receive(Self.r(334, "UGFzc3dvcmQ6"))) == "cGFzcw==\r\n")
        #expect(Self.text(c.receive(Self.r(235))) == "MAIL FROM:<notify@example.com>\r\n")
    }

    @Test func failures() {
        // STARTTLS required but not offered: never falls back to plain text.
        var noTLS = SMTPConversation(settings: SMTPSettings(security: .startTLS), envelope: Self.envelope)
        _ = noTLS.receive(Self.r(220))
        guard case .failed(let error, _) = noTLS.receive(Self.r(250, "mx")) else {
            Issue.record("expected a failure")
            return
        }
        #expect(!error.isPermanent && error.stage == .startTLS)

        // No password in clear.
        var clear = SMTPConversation(
            settings: SMTPSettings(credentials: .init(username: "u", password: "p")), envelope: Self.envelope)
        _ = clear.receive(Self.r(220))
        #expect(Self.text(clear.receive(Self.r(250, "mx", "AUTH PLAIN"))).hasPrefix("<failed server does not support AUTH over TLS"))

        // A 5xx to RCPT is permanent; a 4xx to DATA transient; 421 gets no QUIT.
        var rcpt = SMTPConversation(settings: SMTPSettings(), envelope: Self.envelope)
        _ = rcpt.receive(Self.r(220))
        _ = rcpt.receive(Self.r(250))
        _ = rcpt.receive(Self.r(250))
        guard case .failed(let refused, let quit) = rcpt.receive(Self.r(550, "no such user")) else {
            Issue.record("expected a failure")
            return
        }
        #expect(refused.isPermanent && refused.stage == .rcptTo && quit != nil)

        var closing = SMTPConversation(settings: SMTPSettings(), envelope: Self.envelope)
        guard case .failed(let busy, let none) = closing.receive(Self.r(421, "shutting down")) else {
            Issue.record("expected a failure")
            return
        }
        #expect(!busy.isPermanent && busy.stage == .greeting && none == nil)
    }

    @Test func heloFallback() {
        var c = SMTPConversation(settings: SMTPSettings(heloName: "h"), envelope: Self.envelope)
        _ = c.receive(Self.r(220))
        #expect(Self.text(c.receive(Self.r(502, "EHLO not implemented"))) == "HELO h\r\n")
        #expect(Self.text(c.receive(Self.r(250))) == "MAIL FROM:<notify@example.com>\r\n")
    }

    @Test func dotStuffing() {
        func stuffed(_ text: String) -> String { String(decoding: DotStuffing.encode(Array(text.utf8)), as: UTF8.self) }
        #expect(stuffed(".a\r\nb.\r\n..c\r\n") == "..a\r\nb.\r\n...c\r\n.\r\n")
        #expect(stuffed("no newline at end") == "no newline at end\r\n.\r\n")
        #expect(stuffed("bare\nlf\n.x") == "bare\r\nlf\r\n..x\r\n.\r\n")
        #expect(stuffed("") == ".\r\n")
    }

    @Test func capabilities() {
        let caps = SMTPCapabilities(ehlo: SMTPReply(code: 250, lines: ["mx", "starttls", "AUTH=PLAIN", "auth login cram-md5"]))
        #expect(caps.startTLS)
        #expect(caps.authMechanisms == ["PLAIN", "LOGIN", "CRAM-MD5"])
    }

    @Test func credentialsNeverPrintThePassword() {
        #expect(!"\(SMTPSettings.Credentials(username: "u", password: "hunter2"))".contains("hunter2"))
    }
}
