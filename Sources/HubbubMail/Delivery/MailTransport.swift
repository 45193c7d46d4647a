/// Where composed e-mails go: ``SMTPTransport`` (a server) or ``FileTransport`` (.eml
/// files, the default without SMTP). The mailer is written against this protocol only.
public protocol MailTransport: Sendable {
    /// A short name for logs (`smtp`, `file`).
    var name: String { get }

    /// Delivers `message`, finishing (or failing) before `deadline`: the digest's lease
    /// ends soon after, when another mailer may take it. Returns when the message was
    /// handed over for good. Blocking work runs on the transport's own threads, never on
    /// the caller's; cancelling the caller does not interrupt a delivery in progress.
    func deliver(_ message: MailMessage, until deadline: Deadline) async throws(MailDeliveryError)

    /// Stops the transport's threads after the deliveries in progress. Idempotent.
    func shutdown() async
}
