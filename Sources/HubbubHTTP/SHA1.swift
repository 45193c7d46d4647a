internal import COpenSSL

/// SHA-1, used only for the WebSocket handshake (RFC 6455 section 4.2.2), where it is
/// not a security primitive.
enum SHA1 {
    /// The 20-byte SHA-1 digest of `bytes`, computed by OpenSSL's one-shot `SHA1()`.
    static func digest(_ bytes: [UInt8]) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA_DIGEST_LENGTH))
        bytes.withUnsafeBufferPointer { input in
            digest.withUnsafeMutableBufferPointer { output in
                // SHA1() returns its output pointer; it cannot fail with a valid buffer.
                _ = COpenSSL.SHA1(input.baseAddress, input.count, output.baseAddress)
            }
        }
        return digest
    }
}
