/// The JWS algorithms Hubbub accepts (RFC 7518 section 3.1). `none` and every other
/// name are rejected with ``JWTError/unsupportedAlgorithm``.
public enum JWTAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// HMAC with SHA-256 and a shared secret of at least 32 bytes.
    case hs256 = "HS256"
    /// RSASSA-PKCS1-v1_5 with SHA-256 and an RSA key of at least 2048 bits.
    case rs256 = "RS256"
    /// ECDSA on P-256 with SHA-256; the signature is the 64-byte `R || S`.
    case es256 = "ES256"
}
