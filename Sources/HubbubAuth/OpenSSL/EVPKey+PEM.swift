internal import COpenSSL

extension EVPKey {
    /// A public key from PEM: a `PUBLIC KEY` (SubjectPublicKeyInfo) block, or the
    /// subject key of a `CERTIFICATE` block. The first block of that kind is used.
    static func publicKey(pem: [UInt8]) throws(JWTError) -> EVPKey {
        let text = String(decoding: pem, as: UTF8.self)
        if text.contains("-----BEGIN CERTIFICATE-----") {
            let key = withMemoryBIO(pem) { bio -> OpaquePointer? in
                guard let certificate = PEM_read_bio_X509(bio, nil, refusePassword, nil) else { return nil }
                defer { X509_free(certificate) }
                return X509_get_pubkey(certificate)  // a new reference, owned below
            }
            guard let key else { throw failure("not a valid PEM certificate") }
            return EVPKey(owning: key)
        }
        guard !text.contains("PRIVATE KEY-----") else {
            throw .keyError("expected a public key or certificate, found a private key")
        }
        let key = withMemoryBIO(pem) { PEM_read_bio_PUBKEY($0, nil, refusePassword, nil) }
        guard let key else {
            throw failure("expected a PEM public key (BEGIN PUBLIC KEY) or certificate")
        }
        return EVPKey(owning: key)
    }

    /// A private key from PEM (PKCS#8 `PRIVATE KEY`, or the traditional
    /// `RSA PRIVATE KEY` / `EC PRIVATE KEY`). Encrypted keys are refused rather than
    /// prompting for a passphrase.
    static func privateKey(pem: [UInt8]) throws(JWTError) -> EVPKey {
        let key = withMemoryBIO(pem) { PEM_read_bio_PrivateKey($0, nil, refusePassword, nil) }
        guard let key else { throw failure("expected an unencrypted PEM private key") }
        return EVPKey(owning: key)
    }

    /// Clears OpenSSL's thread-local error queue, so that a failed parse cannot
    /// confuse a later TLS call on this thread, and returns the error to throw.
    private static func failure(_ reason: String) -> JWTError {
        ERR_clear_error()
        return .keyError(reason)
    }

    /// Runs `body` with a read-only memory BIO over `bytes`, freed afterwards.
    private static func withMemoryBIO<Result>(
        _ bytes: [UInt8], _ body: (OpaquePointer) -> Result?
    ) -> Result? {
        guard bytes.count < Int(Int32.max) else { return nil }
        return bytes.withUnsafeBytes { buffer in
            guard let base = buffer.baseAddress, let bio = BIO_new_mem_buf(base, Int32(buffer.count)) else {
                return nil
            }
            defer { BIO_free(bio) }
            return body(bio)
        }
    }
}

/// A PEM passphrase callback that supplies none, so that an encrypted key fails to
/// load instead of OpenSSL prompting on the terminal.
private func refusePassword(
    _ buffer: UnsafeMutablePointer<CChar>?, _ size: Int32, _ rwflag: Int32, _ user: UnsafeMutableRawPointer?
) -> Int32 {
    0
}
