/// Why a ``MailTransport`` could not deliver a message, and what the mailer does next.
public struct MailDeliveryError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Whether the same message may go through later.
    public enum Disposition: String, Sendable, Hashable {
        /// Retry with backoff (4xx, connection and TLS errors, timeouts).
        case transient
        /// Dead-letter now (5xx about the message, an unusable address).
        case permanent
    }

    public var disposition: Disposition
    /// For logs and `last_error`: never the message's content nor a secret.
    public var reason: String

    public init(_ disposition: Disposition, _ reason: String) {
        self.disposition = disposition
        self.reason = reason
    }

    public static func transient(_ reason: String) -> MailDeliveryError { MailDeliveryError(.transient, reason) }
    public static func permanent(_ reason: String) -> MailDeliveryError { MailDeliveryError(.permanent, reason) }

    public var isPermanent: Bool { disposition == .permanent }
    public var description: String { "\(disposition.rawValue): \(reason)" }
}

extension MailDeliveryError {
    /// The SMTP error's disposition (``SMTPError/isPermanent``) and text.
    init(_ error: SMTPError) {
        self.init(error.isPermanent ? .permanent : .transient, error.description)
    }
}
