internal import COpenSSL

/// HMAC-SHA-256 through OpenSSL's one-shot `HMAC()`, and the constant-time comparison
/// its results must be checked with.
enum HMACSHA256 {
    /// The length of a MAC, in bytes.
    static let length = 32

    /// The MAC of `message` under `key`, or nil if OpenSSL fails.
    static func mac(key: [UInt8], message: ArraySlice<UInt8>) -> [UInt8]? {
        guard key.count <= Int(Int32.max) else { return nil }
        var output = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var outputLength: UInt32 = 0
        // An empty key still needs a non-null pointer for HMAC().
        let keyBytes = key.isEmpty ? [0] : key
        let result = keyBytes.withUnsafeBytes { keyBuffer in
            message.withUnsafeBufferPointer { messageBuffer in
                output.withUnsafeMutableBufferPointer { outputBuffer in
                    HMAC(
                        EVP_sha256(), keyBuffer.baseAddress, Int32(key.count),
                        messageBuffer.baseAddress, messageBuffer.count, outputBuffer.baseAddress, &outputLength)
                }
            }
        }
        guard result != nil, outputLength == UInt32(length) else {
            ERR_clear_error()
            return nil
        }
        return Array(output.prefix(length))
    }

    /// Whether `a` and `b` are equal, in time that depends only on their lengths
    /// (`CRYPTO_memcmp`). The lengths are public: a MAC's length is fixed.
    static func constantTimeEqual(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        guard a.count == b.count else { return false }
        guard !a.isEmpty else { return true }
        return a.withUnsafeBytes { aBytes in
            b.withUnsafeBytes { bBytes in
                CRYPTO_memcmp(aBytes.baseAddress, bBytes.baseAddress, aBytes.count) == 0
            }
        }
    }
}
