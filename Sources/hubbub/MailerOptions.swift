import ArgumentParser
import Foundation
import HubbubMail
import HubbubStore
import Logging

/// The flags of the e-mail queue's sender, shared by `hubbub mailer` and (embedded with
/// `@OptionGroup`) `hubbub serve`: SMTP, the e-mail's content, and the queue's timing
/// (docs/email.md). Without `--smtp-host` e-mails are written as .eml files into
/// `--mail-dir`.
struct MailerOptions: ParsableArguments {
    static let passwordVariable = "HUBBUB_SMTP_PASSWORD"

    @Option(help: "SMTP server host name; without it e-mails are written as .eml files into --mail-dir.")
    var smtpHost: String?

    @Option(help: "SMTP server port (default 25; 465 with --smtp-tls).")
    var smtpPort: Int?

    @Flag(help: "Upgrade the SMTP connection with STARTTLS (required: no fallback to plain text).")
    var smtpStarttls = false

    @Flag(help: "TLS from the first byte (SMTPS, usually port 465).")
    var smtpTls = false

    @Option(help: "SMTP user name for AUTH PLAIN or LOGIN.")
    var smtpUsername: String?

    @Option(help: "SMTP password (prefer $\(MailerOptions.passwordVariable): flags show in ps).")
    var smtpPassword: String?

    @Flag(help: "Do not verify the SMTP server's certificate (tests and local relays only).")
    var smtpInsecureSkipVerify = false

    @Option(help: "Verify the SMTP server's certificate against the CA certificates in this PEM file.")
    var smtpCaFile: String?

    @Flag(help: "Allow AUTH over a connection without TLS.")
    var smtpAllowPlaintextAuth = false

    @Option(help: "The name sent with EHLO (default: this host's name).")
    var smtpHeloName: String?

    @Option(help: "SMTP connect timeout.")
    var smtpConnectTimeout = DurationArgument(seconds: 10)

    @Option(help: "SMTP timeout for each server reply (a delivery is bounded by the lease too).")
    var smtpTimeout = DurationArgument(seconds: 30)

    @Option(help: "Directory for .eml files when no --smtp-host is given (default: DATA_DIR/mail).")
    var mailDir: String?

    @Option(help: "The From address (required with --smtp-host; default hubbub@localhost).")
    var mailFrom: String?

    @Option(help: "The From display name.")
    var mailFromName = "Hubbub"

    @Option(help: "The domain of Message-IDs (default: the domain of --mail-from).")
    var mailDomain: String?

    @Option(help: "Link of each notification: placeholders {project_id} {card_id} {comment_id} {event_id} {seq} {room} {kind} {user_id}.")
    var linkTemplate = "http://127.0.0.1:8080/p/{project_id}/cards/{card_id}#comment-{comment_id}"

    @Option(help: "List-Unsubscribe URL: placeholders {user_id} {email} (no header without it).")
    var unsubscribeTemplate: String?

    @Option(help: "Grace window: notifications of a user are collected this long into one digest.")
    var digestGrace = DurationArgument(seconds: 120)

    @Option(help: "Delivery attempts per notification before it is dead-lettered.")
    var maxAttempts = 8

    @Option(help: "Wait after the first failed attempt (doubles each time).")
    var retryBackoff = DurationArgument(seconds: 30)

    @Option(help: "Longest wait between attempts.")
    var retryBackoffMax = DurationArgument(seconds: 3600)

    @Option(name: [.customLong("mail-lease"), .customLong("lease")], help: "How long a mailer holds the digests it claimed.")
    var lease = DurationArgument(seconds: 60)

    @Option(name: [.customLong("mail-poll-interval"), .customLong("poll-interval")], help: "How often the mailer looks for due digests.")
    var pollInterval = DurationArgument(seconds: 1)

    @Option(help: "Digests claimed at once.")
    var mailBatch = 10

    @Option(help: "Sent, dead and cancelled notifications are deleted after this long (0 keeps them).")
    var mailRetention = DurationArgument(seconds: 7 * 86_400)

    func validate() throws {
        if let smtpPort, !(1...65535).contains(smtpPort) { throw ValidationError("--smtp-port must be 1-65535") }
        if smtpStarttls && smtpTls { throw ValidationError("--smtp-starttls and --smtp-tls exclude each other") }
        if smtpHost != nil && mailFrom == nil { throw ValidationError("--mail-from is required with --smtp-host") }
        if smtpUsername != nil && password == nil {
            throw ValidationError("--smtp-username needs --smtp-password or $\(Self.passwordVariable)")
        }
        if smtpInsecureSkipVerify && smtpCaFile != nil {
            throw ValidationError("--smtp-insecure-skip-verify and --smtp-ca-file exclude each other")
        }
        guard maxAttempts >= 1 else { throw ValidationError("--max-attempts must be at least 1") }
        guard lease.milliseconds >= 2000 else { throw ValidationError("--mail-lease must be at least 2s") }
        guard pollInterval.milliseconds >= 10 else { throw ValidationError("--mail-poll-interval must be at least 10ms") }
        guard (1...1000).contains(mailBatch) else { throw ValidationError("--mail-batch must be 1-1000") }
        _ = try composerSettings()
    }

    /// The password from the flag, else the environment.
    var password: String? {
        smtpPassword ?? ProcessInfo.processInfo.environment[Self.passwordVariable].flatMap { $0.isEmpty ? nil : $0 }
    }

    var fromAddress: String { mailFrom ?? "hubbub@localhost" }

    func composerSettings() throws -> DigestComposer.Settings {
        let from = fromAddress
        guard let at = from.lastIndex(of: "@"), at != from.startIndex, from.index(after: at) != from.endIndex,
            !from.contains(where: { $0 == "<" || $0 == ">" || $0.isWhitespace })
        else { throw ValidationError("--mail-from must be a plain address like notifications@example.com") }
        let domain = mailDomain ?? String(from[from.index(after: at)...])
        guard !domain.isEmpty, domain.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") })
        else { throw ValidationError("--mail-domain must be a domain name") }
        let link: URLTemplate
        let unsubscribe: URLTemplate?
        do {
            link = try URLTemplate(
                linkTemplate,
                allowed: ["project_id", "room", "card_id", "comment_id", "event_id", "seq", "kind", "user_id"])
            unsubscribe = try unsubscribeTemplate.map { try URLTemplate($0, allowed: ["user_id", "email"]) }
        } catch {
            throw ValidationError("bad URL template: \(error)")
        }
        return DigestComposer.Settings(
            fromAddress: from, fromName: mailFromName, messageIDDomain: domain, linkTemplate: link,
            unsubscribeTemplate: unsubscribe)
    }

    /// SMTP when `--smtp-host` is given, else .eml files in `--mail-dir` (default
    /// `DATA_DIR/mail`).
    func makeTransport(dataDirectory: DataDirectory) -> any MailTransport {
        guard let smtpHost else {
            return FileTransport(directory: mailDir ?? (dataDirectory.path + "/mail"))
        }
        let security: SMTPSettings.Security = smtpTls ? .implicitTLS : smtpStarttls ? .startTLS : .none
        let credentials = smtpUsername.map { SMTPSettings.Credentials(username: $0, password: password ?? "") }
        let verification: TLSVerification =
            smtpInsecureSkipVerify ? .none : smtpCaFile.map { .caFile($0) } ?? .system
        return SMTPTransport(
            configuration: SMTPTransport.Configuration(
                host: smtpHost, port: smtpPort ?? (smtpTls ? 465 : 25),
                settings: SMTPSettings(
                    heloName: smtpHeloName ?? ProcessInfo.processInfo.hostName, security: security,
                    credentials: credentials, allowPlaintextAuth: smtpAllowPlaintextAuth),
                verification: verification, connectTimeoutMilliseconds: smtpConnectTimeout.milliseconds,
                replyTimeoutMilliseconds: smtpTimeout.milliseconds))
    }

    func makeConfiguration() -> MailerConfiguration {
        var configuration = MailerConfiguration()
        configuration.grace = digestGrace.milliseconds
        configuration.lease = lease.milliseconds
        configuration.pollInterval = pollInterval.milliseconds
        configuration.batchSize = mailBatch
        configuration.retry = RetryPolicy(
            maxAttempts: maxAttempts, initialBackoff: retryBackoff.milliseconds, maxBackoff: retryBackoffMax.milliseconds)
        configuration.retention = mailRetention.milliseconds
        return configuration
    }

    /// The mailer and its transport (shut the transport down after `run()` returns).
    func makeMailer(
        store: any Store, dataDirectory: DataDirectory, logger: Logger,
        observe: @escaping @Sendable (String) -> Void = { _ in }
    ) throws -> (mailer: Mailer, transport: any MailTransport) {
        let transport = makeTransport(dataDirectory: dataDirectory)
        let mailer = Mailer(
            store: store, transport: transport, composer: DigestComposer(settings: try composerSettings()),
            configuration: makeConfiguration(), logger: logger, observe: observe)
        return (mailer, transport)
    }
}

extension DurationArgument {
    var milliseconds: Int64 { Int64(nanoseconds / 1_000_000) }
}
