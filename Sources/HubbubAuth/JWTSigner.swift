/// Mints compact JWS tokens: development tokens for `hubbub token`, and tokens for
/// tests. The header is `{"alg":…,"typ":"JWT"}` plus `"kid"` when one is given.
public enum JWTSigner {
    /// An HS256 token for `claims`, with `extra` string claims (names Hubbub reads
    /// itself, such as `sub` or `exp`, are ignored in `extra`).
    public static func hs256(claims: JWTClaims, secret: [UInt8], extra: [String: String] = [:]) -> String {
        do {
            return try sign(claims: claims, key: .hs256(secret: secret), extra: extra)
        } catch {
            // HMAC() fails only when OpenSSL cannot allocate or has no SHA-256.
            fatalError("HS256 signing failed: \(error)")
        }
    }

    /// A token for `claims` signed with a PEM private key; ``JWTError/keyError(_:)``
    /// when the key cannot be read or does not sign `algorithm` (HS256 needs a secret:
    /// use ``hs256(claims:secret:extra:)``).
    public static func sign(
        claims: JWTClaims, algorithm: JWTAlgorithm, privateKeyPEM: String, kid: String? = nil
    ) throws(JWTError) -> String {
        guard algorithm != .hs256 else { throw .keyError("HS256 signs with a secret, not a private key") }
        let key = try JWTSigningKey.privateKey(pem: privateKeyPEM)
        guard key.algorithm == algorithm else {
            throw .keyError("the key signs \(key.algorithm.rawValue), not \(algorithm.rawValue)")
        }
        return try sign(claims: claims, key: key, kid: kid)
    }

    /// A token for `claims` signed with `key`.
    public static func sign(
        claims: JWTClaims, key: JWTSigningKey, kid: String? = nil, extra: [String: String] = [:]
    ) throws(JWTError) -> String {
        var header = JSONWriter()
        header.member("alg", key.algorithm.rawValue)
        header.member("typ", "JWT")
        if let kid { header.member("kid", kid) }
        return try sign(header: header.finish(), payload: claims.payloadJSON(extra: extra), key: key)
    }

    /// A token whose header and payload are exactly the given texts, signed with `key`
    /// whatever the header says. For tests that need tokens the verifier must reject
    /// (another `alg`, a missing claim), and for reproducing published examples.
    public static func sign(headerJSON: String, payloadJSON: String, key: JWTSigningKey) throws(JWTError) -> String {
        try sign(header: Array(headerJSON.utf8), payload: Array(payloadJSON.utf8), key: key)
    }

    private static func sign(header: [UInt8], payload: [UInt8], key: JWTSigningKey) throws(JWTError) -> String {
        var token = Base64URL.encodeToBytes(header)
        token.append(UInt8(ascii: "."))
        token += Base64URL.encodeToBytes(payload)
        let signature = try key.signature(of: token)
        token.append(UInt8(ascii: "."))
        token += Base64URL.encodeToBytes(signature)
        return String(decoding: token, as: UTF8.self)
    }
}
