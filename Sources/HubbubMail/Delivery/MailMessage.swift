/// A composed e-mail ready for a ``MailTransport``: the envelope and the RFC 5322
/// message (header and body, CRLF line endings).
public struct MailMessage: Sendable, Hashable {
    /// Without the angle brackets: `local@domain`.
    public var messageID: String
    /// Envelope sender (MAIL FROM) and recipient (RCPT TO).
    public var from: String
    public var to: String
    public var data: [UInt8]

    public init(messageID: String, from: String, to: String, data: [UInt8]) {
        self.messageID = messageID
        self.from = from
        self.to = to
        self.data = data
    }
}
