import Foundation

/// Quoted-printable (RFC 2045 6.7) for UTF-8 text bodies: line breaks become CRLF, every
/// encoded line is at most 76 characters (soft breaks `=` CRLF), `=`, non-ASCII bytes,
/// control characters and trailing whitespace are `=XX`. The output is 7-bit ASCII.
enum QuotedPrintable {
    static func encode(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + text.utf8.count / 8)
        let normalized = text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        let lines = normalized.split(separator: "\n", omittingEmptySubsequences: false)
        for (index, line) in lines.enumerated() {
            if index > 0 { out += "\r\n" }
            encodeLine(Array(line.utf8), into: &out)
        }
        return out
    }

    private static func encodeLine(_ bytes: [UInt8], into out: inout String) {
        var length = 0
        for (index, byte) in bytes.enumerated() {
            let isLast = index == bytes.count - 1
            let literal =
                (byte >= 33 && byte <= 126 && byte != UInt8(ascii: "="))
                || ((byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t")) && !isLast)
            let token = literal ? String(UnicodeScalar(byte)) : escape(byte)
            // Keep room for the soft break's "=" (76 including it), unless this token
            // ends the line.
            let limit = isLast ? 76 : 75
            if length + token.count > limit {
                out += "=\r\n"
                length = 0
            }
            out += token
            length += token.count
        }
    }

    private static let hex = Array("0123456789ABCDEF")

    private static func escape(_ byte: UInt8) -> String {
        "=" + String(hex[Int(byte >> 4)]) + String(hex[Int(byte & 0x0F)])
    }
}
