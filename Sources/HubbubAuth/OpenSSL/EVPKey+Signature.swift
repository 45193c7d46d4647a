internal import COpenSSL

extension EVPKey {
    /// Whether `signature` is this key's SHA-256 signature of `message` (RSASSA-PKCS1-v1_5
    /// for RSA keys, DER-encoded ECDSA for EC keys).
    func verifySHA256(signature: [UInt8], message: ArraySlice<UInt8>) -> Bool {
        guard !signature.isEmpty, let context = EVP_MD_CTX_new() else { return false }
        defer { EVP_MD_CTX_free(context) }
        let result = withPointer { key -> Int32 in
            guard EVP_DigestVerifyInit(context, nil, EVP_sha256(), nil, key) == 1 else { return 0 }
            return signature.withUnsafeBufferPointer { signatureBytes in
                message.withUnsafeBufferPointer { messageBytes in
                    EVP_DigestVerify(
                        context, signatureBytes.baseAddress, signatureBytes.count,
                        messageBytes.baseAddress, messageBytes.count)
                }
            }
        }
        guard result == 1 else {
            ERR_clear_error()
            return false
        }
        return true
    }

    /// This private key's SHA-256 signature of `message` (DER for ECDSA), or nil if
    /// OpenSSL fails.
    func signSHA256(message: [UInt8]) -> [UInt8]? {
        guard let context = EVP_MD_CTX_new() else { return nil }
        defer { EVP_MD_CTX_free(context) }
        let signature = withPointer { key -> [UInt8]? in
            guard EVP_DigestSignInit(context, nil, EVP_sha256(), nil, key) == 1 else { return nil }
            return message.withUnsafeBufferPointer { messageBytes -> [UInt8]? in
                // The first call reports the maximum length, the second signs.
                var length = 0
                guard EVP_DigestSign(context, nil, &length, messageBytes.baseAddress, messageBytes.count) == 1
                else { return nil }
                var output = [UInt8](repeating: 0, count: length)
                let ok = output.withUnsafeMutableBufferPointer { outputBytes in
                    EVP_DigestSign(
                        context, outputBytes.baseAddress, &length, messageBytes.baseAddress, messageBytes.count)
                }
                guard ok == 1 else { return nil }
                return Array(output.prefix(length))
            }
        }
        if signature == nil { ERR_clear_error() }
        return signature
    }
}
