/// Sends one message per session to one SMTP server, with blocking calls: run it on a
/// mail worker thread (``SMTPTransport`` does), never on an event loop or a Swift
/// concurrency thread. The protocol itself is ``SMTPConversation``; this type does the
/// I/O it asks for.
struct SMTPClient: Sendable {
    var host: String
    var port: Int
    var settings: SMTPSettings
    var verification: TLSVerification
    /// Connecting (per address tried) and waiting for each reply; the whole session is
    /// bounded by the deadline given to ``send(_:until:)`` as well.
    var connectTimeoutMilliseconds: Int64
    var replyTimeoutMilliseconds: Int64

    /// Delivers `envelope`, or throws why not. Returns once the server accepted the
    /// message (its reply to the end of the data); QUIT is sent after that, best effort.
    func send(_ envelope: SMTPEnvelope, until deadline: Deadline) throws(SMTPError) {
        guard MailAddress.isValid(envelope.from) || envelope.from.isEmpty else {
            throw .invalidAddress("sender \(MailAddress.printable(envelope.from))", at: .mailFrom)
        }
        for recipient in envelope.recipients where !MailAddress.isValid(recipient) {
            throw .invalidAddress("recipient \(MailAddress.printable(recipient))", at: .rcptTo)
        }
        let socket = try SMTPSocket.connect(
            host: host, port: port, deadline: min(deadline, .after(milliseconds: connectTimeoutMilliseconds)))
        var session = Session(socket: socket)
        if settings.security == .implicitTLS {
            try session.startTLS(host: host, verification: verification, until: deadline)
        }
        var conversation = SMTPConversation(
            settings: settings, envelope: envelope, tlsActive: settings.security == .implicitTLS)
        do throws(SMTPError) {
            var action = conversation.receive(try session.readReply(until: replyDeadline(deadline)))
            while true {
                switch action {
                case .send(let bytes):
                    try session.write(bytes, until: deadline)
                    action = conversation.receive(try session.readReply(until: replyDeadline(deadline)))
                case .startTLS:
                    // Bytes after the 220 would be plain text the server (or someone in the
                    // path) slipped in front of the TLS session (CVE-2011-0411): refuse.
                    guard !session.parser.hasPartialReply else {
                        throw SMTPError.malformedReply("data after the STARTTLS reply")
                    }
                    try session.startTLS(host: host, verification: verification, until: deadline)
                    action = conversation.tlsEstablished()
                case .accepted(let quit):
                    session.finish(quit: quit, until: min(deadline, .after(milliseconds: 1000)))
                    return
                case .failed(let error, let quit):
                    if let quit { session.finish(quit: quit, until: min(deadline, .after(milliseconds: 1000))) }
                    throw error
                }
            }
        } catch {
            throw error.at(conversation.stage)
        }
    }

    private func replyDeadline(_ deadline: Deadline) -> Deadline {
        min(deadline, .after(milliseconds: replyTimeoutMilliseconds))
    }

    /// The connection: plain, then maybe TLS, and the reply parser reading from it.
    private struct Session {
        let socket: SMTPSocket
        var tls: TLSStream?
        var parser = SMTPReplyParser()

        init(socket: SMTPSocket) {
            self.socket = socket
        }

        mutating func startTLS(host: String, verification: TLSVerification, until deadline: Deadline)
            throws(SMTPError)
        {
            let stream = try TLSStream(socket: socket, host: host, verification: verification)
            do throws(SMTPError) {
                try stream.handshake(until: deadline)
            } catch {
                throw error.at(.tlsHandshake)
            }
            tls = stream
            parser = SMTPReplyParser()
        }

        func write(_ bytes: [UInt8], until deadline: Deadline) throws(SMTPError) {
            if let tls { try tls.writeAll(bytes, until: deadline) } else { try socket.writeAll(bytes, until: deadline) }
        }

        mutating func readReply(until deadline: Deadline) throws(SMTPError) -> SMTPReply {
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                if let reply = try parser.next() { return reply }
                let result = buffer.withUnsafeMutableBytes { raw in
                    Result { () throws(SMTPError) -> Int in
                        if let tls { return try tls.read(into: raw, until: deadline) }
                        return try socket.read(into: raw, until: deadline)
                    }
                }
                let count = try result.get()
                guard count > 0 else { throw SMTPError.connection("the server closed the connection") }
                parser.append(buffer[0..<count])
            }
        }

        /// QUIT and close, ignoring every error (the outcome is already known).
        mutating func finish(quit: [UInt8], until deadline: Deadline) {
            do throws(SMTPError) {
                try write(quit, until: deadline)
                _ = try readReply(until: deadline)
            } catch {}
            tls?.close()
        }
    }
}
