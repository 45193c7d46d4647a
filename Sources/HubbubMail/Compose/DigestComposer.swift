import HubbubStore

/// Writes the one e-mail of a ``NotificationDigest``, I/O-free and deterministic (the
/// time comes in): `multipart/alternative` with a text and an HTML part, both UTF-8
/// quoted-printable, CRLF line endings, no line over 78 characters in the header (folded)
/// nor 76 in the bodies; every user-provided string is HTML-escaped in the HTML part and
/// RFC 2047-encoded in the header when not plain ASCII.
public struct DigestComposer: Sendable {
    public struct Settings: Sendable, Hashable {
        /// The From address (and the envelope sender).
        public var fromAddress: String
        /// The From display name.
        public var fromName: String
        /// The Message-ID domain (the part after `@`).
        public var messageIDDomain: String
        /// The link of each notification; placeholders: `{project_id}`, `{room}`,
        /// `{card_id}`, `{comment_id}`, `{event_id}`, `{seq}`, `{kind}`, `{user_id}`.
        public var linkTemplate: URLTemplate
        /// The List-Unsubscribe URL; placeholders `{user_id}`, `{email}`. No header when `nil`.
        public var unsubscribeTemplate: URLTemplate?

        public init(
            fromAddress: String, fromName: String = "Hubbub", messageIDDomain: String, linkTemplate: URLTemplate,
            unsubscribeTemplate: URLTemplate? = nil
        ) {
            self.fromAddress = fromAddress
            self.fromName = fromName
            self.messageIDDomain = messageIDDomain
            self.linkTemplate = linkTemplate
            self.unsubscribeTemplate = unsubscribeTemplate
        }
    }

    public let settings: Settings

    public init(settings: Settings) {
        self.settings = settings
    }

    /// The digest's e-mail, dated `now` (unix ms). Throws a permanent error if the
    /// recipient's address cannot be used.
    public func compose(_ digest: NotificationDigest, now: Int64) throws(MailDeliveryError) -> MailMessage {
        guard MailAddress.isValid(digest.email) else {
            throw .permanent("unusable recipient address \(MailAddress.printable(digest.email))")
        }
        let items = digest.notifications.map(DigestItem.init)
        let messageID = MessageID.make(for: digest, domain: settings.messageIDDomain)
        let links = items.map { item in
            var values = item.templateValues
            values["user_id"] = digest.userID
            return settings.linkTemplate.expand(values)
        }
        let unsubscribe = settings.unsubscribeTemplate?.expand(["user_id": digest.userID, "email": digest.email])
        let subject = Self.subject(items)
        let boundary = "=_hubbub_" + messageID.prefix(24)

        var header = ""
        header += HeaderEncoding.field("From", HeaderEncoding.phrase(settings.fromName) + " <\(settings.fromAddress)>")
        header += HeaderEncoding.field("To", digest.email)
        header += HeaderEncoding.field("Subject", words: HeaderEncoding.unstructuredWords(subject))
        header += HeaderEncoding.field("Date", RFC5322Date.format(unixMillis: now))
        header += HeaderEncoding.field("Message-ID", "<\(messageID)>")
        header += HeaderEncoding.field("MIME-Version", "1.0")
        if let unsubscribe { header += HeaderEncoding.field("List-Unsubscribe", "<\(unsubscribe)>") }
        header += HeaderEncoding.field("Auto-Submitted", "auto-generated")
        header += HeaderEncoding.field("Content-Type", words: ["multipart/alternative;", "boundary=\"\(boundary)\""])

        let text = DigestBodies.text(items: items, links: links, unsubscribe: unsubscribe)
        let html = DigestBodies.html(subject: subject, items: items, links: links, unsubscribe: unsubscribe)
        var body = "This is a multi-part message in MIME format.\r\n"
        for (type, content) in [("text/plain", text), ("text/html", html)] {
            body += "\r\n--\(boundary)\r\n"
            body += "Content-Type: \(type); charset=utf-8\r\n"
            body += "Content-Transfer-Encoding: quoted-printable\r\n\r\n"
            body += QuotedPrintable.encode(content) + "\r\n"
        }
        body += "\r\n--\(boundary)--\r\n"
        return MailMessage(
            messageID: messageID, from: settings.fromAddress, to: digest.email, data: Array((header + "\r\n" + body).utf8))
    }

    /// "Alice Adams mentioned you in Apollo launch", "3 new mentions in Apollo launch",
    /// "ci: deploy.failed in Apollo launch", "4 new notifications in Apollo launch and
    /// 1 other project".
    static func subject(_ items: [DigestItem]) -> String {
        var projects: [String] = []
        for item in items where !projects.contains(item.projectName) { projects.append(item.projectName) }
        var place = projects.first ?? "Hubbub"
        if projects.count == 2 { place += " and 1 other project" }
        if projects.count > 2 { place += " and \(projects.count - 1) other projects" }
        if items.count == 1, let item = items.first {
            return item.isMention ? "\(item.actorName) mentioned you in \(place)" : "\(item.actorName): \(item.kind) in \(place)"
        }
        let what = items.allSatisfy(\.isMention) ? "mentions" : "notifications"
        return "\(items.count) new \(what) in \(place)"
    }
}
