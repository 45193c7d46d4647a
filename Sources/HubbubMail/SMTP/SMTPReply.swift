/// One reply of an SMTP server (RFC 5321 4.2): a three-digit code and one or more text
/// lines (a multi-line reply repeats the code on every line).
public struct SMTPReply: Sendable, Hashable, CustomStringConvertible {
    /// 200-599 (the parser refuses other first digits).
    public var code: Int
    /// The text of each line, without the code, the separator and CRLF.
    public var lines: [String]

    public init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// 2xx: the command was accepted.
    public var isPositive: Bool { (200..<300).contains(code) }
    /// 3xx: send more (354 after DATA, 334 during AUTH).
    public var isIntermediate: Bool { (300..<400).contains(code) }
    /// 4xx: try again later.
    public var isTransientFailure: Bool { (400..<500).contains(code) }
    /// 5xx: do not try again as it is.
    public var isPermanentFailure: Bool { (500..<600).contains(code) }

    /// `code text` of the first line, shortened, for logs and `last_error`.
    public var description: String {
        let text = lines.first ?? ""
        return "\(code) " + (text.count > 200 ? String(text.prefix(200)) + "…" : text)
    }
}
