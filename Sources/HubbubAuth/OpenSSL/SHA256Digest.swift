internal import COpenSSL

/// SHA-256 through OpenSSL's one-shot `SHA256()`: how API keys are stored (only their
/// digest is configured, never the key).
public enum SHA256Digest {
    public static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in
                // SHA256() returns its output pointer; it cannot fail with a valid buffer.
                _ = COpenSSL.SHA256(input.baseAddress, input.count, output.baseAddress)
            }
        }
        return digest
    }

    /// Lowercase hex of the digest of `text`'s UTF-8 bytes.
    public static func hex(of text: String) -> String {
        let hexDigits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        for byte in digest(Array(text.utf8)) {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
