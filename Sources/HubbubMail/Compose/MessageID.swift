internal import COpenSSL
import HubbubStore

/// The Message-ID of a digest: `<32 hex digits>.<count>@<domain>`, the digits the start
/// of SHA-256 over the recipient and the row ids. The same digest sent again (after a
/// crash or a retry) keeps its Message-ID, so receivers, and the .eml files, see one
/// message; digests of different rows never share one.
enum MessageID {
    static func make(for digest: NotificationDigest, domain: String) -> String {
        var input = "hubbub-digest\u{0}\(digest.userID)\u{0}\(digest.email)\u{0}"
        input += digest.ids.map(String.init).joined(separator: ",")
        var hash = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        let bytes = Array(input.utf8)
        _ = bytes.withUnsafeBufferPointer { buffer in SHA256(buffer.baseAddress, buffer.count, &hash) }
        let hex = hash.prefix(16).map { byte in
            let digits = Array("0123456789abcdef")
            return String(digits[Int(byte >> 4)]) + String(digits[Int(byte & 0x0F)])
        }.joined()
        return "\(hex).\(digest.notifications.count)@\(domain)"
    }
}
