/// What a server announced in its EHLO reply (RFC 5321 4.1.1.1): one keyword per line
/// after the first, with parameters.
struct SMTPCapabilities: Sendable, Hashable {
    /// Upper-cased keywords (`STARTTLS`, `AUTH`, `SIZE`, `8BITMIME`, ...).
    var keywords: Set<String> = []
    /// Upper-cased SASL mechanisms of the `AUTH` line(s).
    var authMechanisms: Set<String> = []

    init() {}

    init(ehlo reply: SMTPReply) {
        for line in reply.lines.dropFirst() {
            let words = line.split(separator: " ").map { $0.uppercased() }
            guard let keyword = words.first else { continue }
            keywords.insert(keyword)
            // Old servers announce `AUTH=LOGIN PLAIN` as well.
            if keyword == "AUTH" {
                authMechanisms.formUnion(words.dropFirst())
            } else if keyword.hasPrefix("AUTH=") {
                keywords.insert("AUTH")
                authMechanisms.insert(String(keyword.dropFirst(5)))
                authMechanisms.formUnion(words.dropFirst())
            }
        }
    }

    var startTLS: Bool { keywords.contains("STARTTLS") }
}
