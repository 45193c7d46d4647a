/// Splits the bytes an SMTP server sends into ``SMTPReply``s, I/O-free: feed what was
/// read with ``append(_:)``, then take complete replies with ``next()`` until it returns
/// `nil` (more bytes needed).
///
/// Lines end in CRLF (a bare LF is accepted too). Each line is `DDD-text` (more lines
/// follow) or `DDD text` / `DDD` (the last line); every line of a reply must carry the
/// same code. Limits keep a hostile server from growing the buffer without end.
public struct SMTPReplyParser: Sendable {
    /// Longest line accepted, CRLF included (RFC 5321 says 512; servers send longer).
    public var maxLineLength: Int
    /// Most lines in one reply (an EHLO reply lists one extension per line).
    public var maxLines: Int

    private var buffer: [UInt8] = []
    private var start = 0
    private var pendingCode: Int?
    private var pendingLines: [String] = []

    public init(maxLineLength: Int = 4096, maxLines: Int = 128) {
        self.maxLineLength = maxLineLength
        self.maxLines = maxLines
    }

    /// Adds bytes read from the connection.
    public mutating func append<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        if start > 0 && start == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            start = 0
        }
        buffer.append(contentsOf: bytes)
    }

    /// Whether bytes of an unfinished reply are buffered.
    public var hasPartialReply: Bool { start < buffer.count || pendingCode != nil }

    /// The next complete reply, or `nil` if more bytes are needed.
    public mutating func next() throws(SMTPError) -> SMTPReply? {
        while let line = try nextLine() {
            guard line.count >= 3, line[0...2].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }),
                (UInt8(ascii: "2")...UInt8(ascii: "5")).contains(line[0])
            else { throw .malformedReply("a reply line does not start with a code: \(Self.printable(line))") }
            let code = Int(line[0] - 48) * 100 + Int(line[1] - 48) * 10 + Int(line[2] - 48)
            let last: Bool
            if line.count == 3 {
                last = true
            } else if line[3] == UInt8(ascii: " ") {
                last = true
            } else if line[3] == UInt8(ascii: "-") {
                last = false
            } else {
                throw .malformedReply("bad separator after the code: \(Self.printable(line))")
            }
            if let pendingCode, pendingCode != code {
                throw .malformedReply("code \(code) inside a multi-line reply of \(pendingCode)")
            }
            pendingCode = code
            pendingLines.append(line.count > 4 ? String(decoding: line[4...], as: UTF8.self) : "")
            if last {
                let reply = SMTPReply(code: code, lines: pendingLines)
                pendingCode = nil
                pendingLines = []
                return reply
            }
            guard pendingLines.count < maxLines else { throw .malformedReply("more than \(maxLines) reply lines") }
        }
        return nil
    }

    /// The next line without its line ending, or `nil` if no full line is buffered.
    private mutating func nextLine() throws(SMTPError) -> [UInt8]? {
        guard let newline = buffer[start...].firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.count - start > maxLineLength {
                throw .malformedReply("a reply line longer than \(maxLineLength) bytes")
            }
            return nil
        }
        guard newline - start < maxLineLength else {
            throw .malformedReply("a reply line longer than \(maxLineLength) bytes")
        }
        var end = newline
        if end > start && buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        let line = Array(buffer[start..<end])
        start = newline + 1
        return line
    }

    private static func printable(_ line: [UInt8]) -> String {
        String(decoding: line.prefix(60).map { $0 >= 0x20 && $0 < 0x7F ? $0 : UInt8(ascii: "?") }, as: UTF8.self)
    }
}
