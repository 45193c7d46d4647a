/// The e-mail addresses this mailer sends to and from: a plain `local@domain` of
/// printable ASCII without spaces, angle brackets, quotes, commas or semicolons, at most
/// 254 bytes. Anything else (an address from the store is user data) is refused rather
/// than escaped, so it can never break an SMTP command or a header.
enum MailAddress {
    static func isValid(_ address: String) -> Bool {
        let bytes = Array(address.utf8)
        guard bytes.count <= 254, let at = bytes.lastIndex(of: UInt8(ascii: "@")), at > 0, at < bytes.count - 1
        else { return false }
        let forbidden = Set("<>()[]\\,;:\" ".utf8)
        for byte in bytes where byte <= 0x20 || byte >= 0x7F || forbidden.contains(byte) { return false }
        let domain = bytes[(at + 1)...]
        return !domain.contains(UInt8(ascii: "@")) && domain.first != UInt8(ascii: ".")
            && domain.last != UInt8(ascii: ".")
    }

    /// `address` with control characters replaced, shortened, for error messages.
    static func printable(_ address: String) -> String {
        String(address.unicodeScalars.prefix(80).map { $0.value < 0x20 || $0.value == 0x7F ? "?" : Character($0) })
    }
}
