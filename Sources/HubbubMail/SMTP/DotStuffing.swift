/// The DATA section's transparency (RFC 5321 4.5.2): line endings made CRLF, a `.` added
/// before every line that starts with `.`, and the `CRLF . CRLF` terminator appended.
enum DotStuffing {
    static func encode(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(data.count + data.count / 64 + 5)
        var atLineStart = true
        var previous: UInt8 = 0
        for byte in data {
            if byte == UInt8(ascii: "\n") && previous != UInt8(ascii: "\r") {
                out.append(UInt8(ascii: "\r"))  // a bare LF
            }
            if atLineStart && byte == UInt8(ascii: ".") { out.append(UInt8(ascii: ".")) }
            out.append(byte)
            atLineStart = byte == UInt8(ascii: "\n")
            previous = byte
        }
        if !out.isEmpty && !atLineStart { out.append(contentsOf: [UInt8(ascii: "\r"), UInt8(ascii: "\n")]) }
        out.append(contentsOf: Array(".\r\n".utf8))
        return out
    }
}
