/// Sends each message through an SMTP server (one session per message) on a dedicated
/// thread: the blocking ``SMTPClient`` never runs on an event loop or a Swift concurrency
/// thread. Errors keep the SMTP classification (``SMTPError/isPermanent``).
public final class SMTPTransport: MailTransport {
    public struct Configuration: Sendable, Hashable {
        public var host: String
        public var port: Int
        public var settings: SMTPSettings
        public var verification: TLSVerification
        /// Per address tried.
        public var connectTimeoutMilliseconds: Int64
        /// Per reply (the whole session is bounded by the delivery's deadline too).
        public var replyTimeoutMilliseconds: Int64

        public init(
            host: String, port: Int = 25, settings: SMTPSettings = SMTPSettings(),
            verification: TLSVerification = .system, connectTimeoutMilliseconds: Int64 = 10_000,
            replyTimeoutMilliseconds: Int64 = 30_000
        ) {
            self.host = host
            self.port = port
            self.settings = settings
            self.verification = verification
            self.connectTimeoutMilliseconds = connectTimeoutMilliseconds
            self.replyTimeoutMilliseconds = replyTimeoutMilliseconds
        }
    }

    public let configuration: Configuration
    public var name: String { "smtp" }
    private let client: SMTPClient
    private let worker = BlockingWorker(name: "mail-smtp")

    public init(configuration: Configuration) {
        self.configuration = configuration
        client = SMTPClient(
            host: configuration.host, port: configuration.port, settings: configuration.settings,
            verification: configuration.verification,
            connectTimeoutMilliseconds: configuration.connectTimeoutMilliseconds,
            replyTimeoutMilliseconds: configuration.replyTimeoutMilliseconds)
    }

    public func deliver(_ message: MailMessage, until deadline: Deadline) async throws(MailDeliveryError) {
        let client = client
        let envelope = SMTPEnvelope(from: message.from, recipients: [message.to], data: message.data)
        try await worker.run({ () throws(MailDeliveryError) in
            do throws(SMTPError) {
                try client.send(envelope, until: deadline)
            } catch {
                throw MailDeliveryError(error)
            }
        }, closed: .transient("the SMTP transport is shut down"))
    }

    public func shutdown() async {
        await worker.shutdown()
    }
}
