/// One message to send: the envelope (RFC 5321 MAIL FROM and RCPT TO) and the message
/// itself (RFC 5322 header and body, CRLF line endings, not yet dot-stuffed).
public struct SMTPEnvelope: Sendable, Hashable {
    /// The reverse path (bounces go there); may be empty (`MAIL FROM:<>`).
    public var from: String
    public var recipients: [String]
    public var data: [UInt8]

    public init(from: String, recipients: [String], data: [UInt8]) {
        self.from = from
        self.recipients = recipients
        self.data = data
    }
}
