import Foundation
import HubbubStore
import Testing

@testable import HubbubMail

@Suite("Digest composition")
struct DigestComposerTests {
    /// 2025-06-02T12:00:00.000Z
    static let t0: Int64 = 1_748_865_600_000

    static func mention(
        id: Int64, project: String = "Apollo launch", card: String = "Launch checklist", comment: String = "cm1",
        excerpt: String, actor: String = "Alice Adams"
    ) -> OutboxEntry {
        let payload = """
            {"project":{"id":"p_apollo","name":\(json(project))},"card":{"id":"card_1","title":\(json(card))},\
            "comment":{"id":"\(comment)","excerpt":\(json(excerpt))},"actor":{"user_id":"u_alice","name":\(json(actor))},\
            "comment_event_id":"ev\(id)","comment_seq":\(id)}
            """
        return OutboxEntry(
            id: id, room: "p_apollo", userID: "u_bob", email: "bob@example.com", kind: "mention", eventID: "ev\(id)",
            seq: id, payload: payload, state: .leased, attempts: 0, createdAt: t0)
    }

    static func json(_ text: String) -> String {
        "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n").replacingOccurrences(of: "\r", with: "\\r") + "\""
    }

    static func digest(_ rows: [OutboxEntry], email: String = "bob@example.com") -> NotificationDigest {
        NotificationDigest(userID: "u_bob", email: email, owner: "m", leaseUntil: t0 + 60_000, notifications: rows)
    }

    static let composer = DigestComposer(
        settings: .init(
            fromAddress: "notify@hubbub.test", fromName: "Hubbub", messageIDDomain: "hubbub.test",
            linkTemplate: try! URLTemplate(
                "https://app.example/p/{project_id}/cards/{card_id}#comment-{comment_id}",
                allowed: DigestItem.linkPlaceholders),
            unsubscribeTemplate: try! URLTemplate(
                "https://app.example/unsubscribe?u={user_id}", allowed: DigestItem.unsubscribePlaceholders)))

    /// Header fields (unfolded) and the raw header block.
    static func split(_ message: MailMessage) throws -> (header: String, fields: [String: String], body: String) {
        let text = String(decoding: message.data, as: UTF8.self)
        let range = try #require(text.range(of: "\r\n\r\n"))
        let header = String(text[..<range.lowerBound])
        var fields: [String: String] = [:]
        var last = ""
        for line in header.components(separatedBy: "\r\n") {
            if line.hasPrefix(" ") {
                fields[last, default: ""] += line
            } else {
                let colon = try #require(line.firstIndex(of: ":"))
                last = String(line[..<colon])
                fields[last] = String(line[line.index(after: colon)...].dropFirst())
            }
        }
        return (header, fields, String(text[range.upperBound...]))
    }

    @Test func goldenHeaderOfOneMention() throws {
        let message = try Self.composer.compose(
            Self.digest([Self.mention(id: 7, excerpt: "@bob see this")]), now: Self.t0 + 1234)
        let (header, _, _) = try Self.split(message)
        let id = message.messageID
        #expect(id.hasSuffix(".1@hubbub.test") && id.count == 32 + ".1@hubbub.test".count)
        #expect(header == """
            From: Hubbub <notify@hubbub.test>\r
            To: bob@example.com\r
            Subject: Alice Adams mentioned you in Apollo launch\r
            Date: Mon, 02 Jun 2025 12:00:01 +0000\r
            Message-ID: <\(id)>\r
            MIME-Version: 1.0\r
            List-Unsubscribe: <https://app.example/unsubscribe?u=u_bob>\r
            Auto-Submitted: auto-generated\r
            Content-Type: multipart/alternative;\r
             boundary="=_hubbub_\(id.prefix(24))"
            """)
        #expect(message.from == "notify@hubbub.test" && message.to == "bob@example.com")
    }

    @Test func structureOfADigest() throws {
        let rows = [
            Self.mention(id: 7, comment: "c7", excerpt: "first <b>bold</b> & \"q\"\nsecond line"),
            Self.mention(id: 9, card: "Prüfung ✓", comment: "c9", excerpt: String(repeating: "é", count: 150)),
            Self.mention(id: 12, project: "Zeus", comment: "c12", excerpt: ".dot first"),
        ]
        let message = try Self.composer.compose(Self.digest(rows), now: Self.t0)
        let raw = message.data
        #expect(raw.allSatisfy { $0 < 128 }, "7-bit on the wire")
        let text = String(decoding: raw, as: UTF8.self)
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\n"), "CRLF only")
        #expect(!text.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        #expect(text.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })

        let (_, fields, body) = try Self.split(message)
        #expect(fields["Subject"] == "3 new mentions in Apollo launch and 1 other project")
        let boundary = "=_hubbub_" + message.messageID.prefix(24)
        let sections = body.components(separatedBy: "\r\n--\(boundary)")
        #expect(sections.count == 4)  // preamble, text, html, "--" epilogue
        #expect(sections.last?.hasPrefix("--\r\n") == true)
        let textPart = try #require(sections.dropFirst().first)
        let htmlPart = try #require(sections.dropFirst(2).first)
        #expect(textPart.hasPrefix("\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"))
        #expect(htmlPart.hasPrefix("\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n"))

        let plain = Self.decodeQP(Self.content(textPart))
        #expect(plain.contains("Apollo launch / Launch checklist\r\nAlice Adams mentioned you:\r\n> first <b>bold</b> & \"q\"\r\n> second line\r\n"))
        #expect(plain.contains("Apollo launch / Prüfung ✓"))
        #expect(plain.contains(String(repeating: "é", count: 150)))
        #expect(plain.contains("> .dot first"))
        for comment in ["c7", "c9", "c12"] {
            #expect(plain.contains("https://app.example/p/p_apollo/cards/card_1#comment-\(comment)"))
        }
        #expect(plain.contains("Unsubscribe: https://app.example/unsubscribe?u=u_bob"))

        let html = Self.decodeQP(Self.content(htmlPart))
        #expect(html.contains("first &lt;b&gt;bold&lt;/b&gt; &amp; &quot;q&quot;<br>\r\nsecond line"))
        #expect(!html.contains("<b>bold"))
        #expect(html.contains("<a href=\"https://app.example/p/p_apollo/cards/card_1#comment-c12\">"))
        #expect(html.contains("<title>3 new mentions in Apollo launch and 1 other project</title>"))
    }

    @Test func nonASCIISubjectIsEncodedAndFolded() throws {
        let actor = "Zoë Ünal-Ørsted 日本語のテキスト " + String(repeating: "ß", count: 40)
        let message = try Self.composer.compose(
            Self.digest([Self.mention(id: 1, project: "Projekt Ärger", excerpt: "x", actor: actor)]), now: Self.t0)
        let (header, fields, _) = try Self.split(message)
        let subject = try #require(fields["Subject"])
        let words = subject.split(separator: " ")
        #expect(words.count > 1 && words.allSatisfy { $0.hasPrefix("=?UTF-8?B?") && $0.hasSuffix("?=") && $0.count <= 75 })
        #expect(header.components(separatedBy: "\r\n").allSatisfy { $0.utf8.count <= 78 })
        let decoded = words.map { word -> String in
            let base64 = word.dropFirst(10).dropLast(2)
            return String(decoding: Self.decodeBase64(String(base64)), as: UTF8.self)
        }.joined()
        #expect(decoded == "\(actor) mentioned you in Projekt Ärger")
    }

    @Test func headerInjectionIsImpossible() throws {
        let evil = Self.mention(id: 1, project: "P\r\nBcc: victim@example.com", excerpt: "x", actor: "Eve\r\nX-Evil: 1")
        let message = try Self.composer.compose(Self.digest([evil]), now: Self.t0)
        let (_, fields, _) = try Self.split(message)
        #expect(fields["Bcc"] == nil && fields["X-Evil"] == nil)
        #expect(fields["Subject"] == "Eve X-Evil: 1 mentioned you in P Bcc: victim@example.com")
    }

    @Test func unusableAddressIsPermanent() {
        for email in ["bob@example.com\r\nRCPT TO:<x@y>", "no-at-sign", "a b@example.com", "<x>@y.z", "ü@example.com"] {
            #expect(throws: MailDeliveryError.permanent("unusable recipient address \(MailAddress.printable(email))")) {
                try Self.composer.compose(Self.digest([Self.mention(id: 1, excerpt: "x")], email: email), now: Self.t0)
            }
        }
    }

    @Test func messageIDIsStablePerDigest() throws {
        let a = try Self.composer.compose(Self.digest([Self.mention(id: 1, excerpt: "x")]), now: Self.t0)
        let again = try Self.composer.compose(Self.digest([Self.mention(id: 1, excerpt: "x")]), now: Self.t0 + 60_000)
        let other = try Self.composer.compose(
            Self.digest([Self.mention(id: 1, excerpt: "x"), Self.mention(id: 2, excerpt: "y")]), now: Self.t0)
        #expect(a.messageID == again.messageID, "a retry keeps its Message-ID")
        #expect(a.messageID != other.messageID)
    }

    @Test func customEventsAndOddPayloads() throws {
        var custom = Self.mention(id: 3, excerpt: "")
        custom.kind = "deploy.failed"
        custom.payload = #"{"project":{"id":"p_apollo","name":"Apollo launch"},"event_id":"e3","seq":3,"type":"deploy.failed","actor":{"service":"ci"},"payload":{}}"#
        var broken = Self.mention(id: 4, excerpt: "")
        broken.payload = "not json"
        #expect(DigestComposer.subject([DigestItem(custom)]) == "ci: deploy.failed in Apollo launch")
        #expect(DigestComposer.subject([DigestItem(custom), DigestItem(broken)]) == "2 new notifications in Apollo launch and 1 other project")
        let message = try Self.composer.compose(Self.digest([custom, broken]), now: Self.t0)
        #expect(!message.data.isEmpty)
    }

    @Test func quotedPrintable() {
        #expect(QuotedPrintable.encode("a=b ünï\ntrailing  ") == "a=3Db =C3=BCn=C3=AF\r\ntrailing =20")
        let long = QuotedPrintable.encode(String(repeating: "x", count: 200))
        #expect(long.components(separatedBy: "\r\n").allSatisfy { $0.count <= 76 })
        #expect(Self.decodeQP(long) == String(repeating: "x", count: 200))
        let mixed = String(repeating: "é", count: 100)
        #expect(QuotedPrintable.encode(mixed).components(separatedBy: "\r\n").allSatisfy { $0.count <= 76 })
        #expect(Self.decodeQP(QuotedPrintable.encode(mixed)) == mixed)
    }

    @Test func dates() {
        #expect(RFC5322Date.format(unixMillis: 0) == "Thu, 01 Jan 1970 00:00:00 +0000")
        #expect(RFC5322Date.format(unixMillis: 1_709_251_199_000) == "Thu, 29 Feb 2024 23:59:59 +0000")
    }

    @Test func urlTemplates() throws {
        let t = try URLTemplate("https://x.example/{room}/c?id={card_id}", allowed: ["room", "card_id"])
        #expect(t.expand(["room": "a b/c", "card_id": "é&x"]) == "https://x.example/a%20b%2Fc/c?id=%C3%A9%26x")
        #expect(throws: URLTemplateError.self) { try URLTemplate("https://x/{nope}", allowed: ["room"]) }
        #expect(throws: URLTemplateError.self) { try URLTemplate("https://x/{room", allowed: ["room"]) }
        #expect(throws: URLTemplateError.self) { try URLTemplate("javascript:alert(1)", allowed: []) }
        #expect(throws: URLTemplateError.self) { try URLTemplate("https://x/ space", allowed: []) }
    }

    @Test func fileNames() {
        #expect(FileTransport.fileName(for: "abc.3@hubbub.test") == "abc.3@hubbub.test.eml")
        #expect(FileTransport.fileName(for: "../../etc/passwd") == "_._.._etc_passwd.eml")
    }

    // MARK: Decoders (test side)

    /// A MIME part's content: everything after its header.
    static func content(_ part: String) -> String {
        guard let range = part.range(of: "\r\n\r\n") else { return "" }
        return String(part[range.upperBound...])
    }

    static func decodeQP(_ text: String) -> String {
        var bytes: [UInt8] = []
        let input = Array(text.replacingOccurrences(of: "=\r\n", with: "").utf8)
        var i = 0
        while i < input.count {
            if input[i] == UInt8(ascii: "="), i + 2 < input.count,
                let value = UInt8(String(decoding: input[(i + 1)...(i + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                i += 3
            } else {
                bytes.append(input[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func decodeBase64(_ text: String) -> [UInt8] {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        var bits: UInt32 = 0
        var count = 0
        var out: [UInt8] = []
        for byte in text.utf8 where byte != UInt8(ascii: "=") {
            guard let value = alphabet.firstIndex(of: byte) else { continue }
            bits = bits << 6 | UInt32(value)
            count += 6
            if count >= 8 {
                count -= 8
                out.append(UInt8((bits >> UInt32(count)) & 0xFF))
            }
        }
        return out
    }
}
