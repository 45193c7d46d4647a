/// Why an SMTP delivery failed, and whether trying again later may help.
///
/// Transient (``isPermanent`` false: retry with backoff): connection, timeout, TLS and
/// I/O errors, every 4xx reply, a malformed reply, and 5xx replies to the session's
/// set-up (greeting, EHLO, STARTTLS, AUTH: they say the server or our configuration is
/// wrong, not the message). Permanent (dead letter): a 5xx reply to MAIL FROM, RCPT TO,
/// DATA or the end of the data, and an address the client refuses to send.
public struct SMTPError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The step of the session an error happened in.
    public enum Stage: String, Sendable, Hashable {
        case connect, greeting, ehlo, startTLS = "starttls", tlsHandshake = "tls-handshake", auth
        case mailFrom = "mail-from", rcptTo = "rcpt-to", data, dataEnd = "data-end", quit

        /// Whether a 5xx at this stage is about the message (permanent) rather than the
        /// session (transient).
        var concernsTheMessage: Bool {
            switch self {
            case .mailFrom, .rcptTo, .data, .dataEnd: true
            default: false
            }
        }
    }

    private enum Kind: Sendable, Hashable {
        case reply(SMTPReply)
        case timeout
        case connection(String)
        case tls(String)
        case malformedReply(String)
        case unsupported(String)
        case invalidAddress(String)
    }

    private let kind: Kind
    /// Where in the session it happened (`nil` while parsing, before the conversation
    /// places it).
    public private(set) var stage: Stage?

    private init(_ kind: Kind, stage: Stage? = nil) {
        self.kind = kind
        self.stage = stage
    }

    /// The server answered `reply` at `stage`.
    public static func reply(_ reply: SMTPReply, at stage: Stage) -> SMTPError { SMTPError(.reply(reply), stage: stage) }
    /// The deadline passed while connecting, reading or writing.
    public static func timeout(at stage: Stage?) -> SMTPError { SMTPError(.timeout, stage: stage) }
    /// The connection could not be made, was reset or closed early.
    public static func connection(_ detail: String, at stage: Stage? = nil) -> SMTPError {
        SMTPError(.connection(detail), stage: stage)
    }
    /// The TLS layer failed (handshake, certificate verification, record errors).
    public static func tls(_ detail: String, at stage: Stage? = nil) -> SMTPError { SMTPError(.tls(detail), stage: stage) }
    /// The server sent something that is not an SMTP reply.
    public static func malformedReply(_ detail: String) -> SMTPError { SMTPError(.malformedReply(detail)) }
    /// The server lacks something the configuration requires (STARTTLS, an AUTH mechanism).
    public static func unsupported(_ detail: String, at stage: Stage) -> SMTPError {
        SMTPError(.unsupported(detail), stage: stage)
    }
    /// An envelope address that cannot be sent safely (line breaks, not ASCII, no `@`).
    public static func invalidAddress(_ detail: String, at stage: Stage) -> SMTPError {
        SMTPError(.invalidAddress(detail), stage: stage)
    }

    /// The same error, placed at `stage` if it had no stage yet.
    func at(_ stage: Stage) -> SMTPError {
        var copy = self
        if copy.stage == nil { copy.stage = stage }
        return copy
    }

    /// The server's reply, if the error is one.
    public var reply: SMTPReply? {
        if case .reply(let reply) = kind { return reply }
        return nil
    }

    /// Whether the same message would fail again: dead-letter it.
    public var isPermanent: Bool {
        switch kind {
        case .reply(let reply): reply.isPermanentFailure && (stage?.concernsTheMessage ?? false)
        case .invalidAddress: true
        case .timeout, .connection, .tls, .malformedReply, .unsupported: false
        }
    }

    public var description: String {
        let place = stage.map { " at \($0.rawValue)" } ?? ""
        switch kind {
        case .reply(let reply): return "server replied \(reply)\(place)"
        case .timeout: return "timed out\(place)"
        case .connection(let detail): return "connection failed\(place): \(detail)"
        case .tls(let detail): return "TLS failed\(place): \(detail)"
        case .malformedReply(let detail): return "malformed reply\(place): \(detail)"
        case .unsupported(let detail): return "server does not support \(detail)\(place)"
        case .invalidAddress(let detail): return "invalid address\(place): \(detail)"
        }
    }
}
