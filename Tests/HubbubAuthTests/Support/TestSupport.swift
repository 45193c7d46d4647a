import HubbubAuth
import Testing

/// Shared values and helpers for the HubbubAuth tests.
enum TestData {
    /// The "current time" of most tests: 2023-11-14T22:13:20Z.
    static let now: Int64 = 1_700_000_000
    /// A valid 32-byte HS256 secret.
    static let secret = Array("0123456789abcdef0123456789abcdef".utf8)
    /// Another valid HS256 secret.
    static let otherSecret = Array("fedcba9876543210fedcba9876543210".utf8)

    /// Claims valid at ``now`` for an hour.
    static let claims = JWTClaims(subject: "user-1", expiresAt: now + 3600)

    /// Signs arbitrary header and payload texts with the shared secret.
    static func hs256(header: String = #"{"alg":"HS256","typ":"JWT"}"#, payload: String) -> String {
        do {
            return try JWTSigner.sign(headerJSON: header, payloadJSON: payload, key: .hs256(secret: secret))
        } catch {
            fatalError("signing failed: \(error)")
        }
    }

    /// `header.payload.signature` from the raw header and payload texts and signature bytes.
    static func token(header: String, payload: String, signature: [UInt8]) -> String {
        Base64URL.encode(Array(header.utf8)) + "." + Base64URL.encode(Array(payload.utf8)) + "."
            + Base64URL.encode(signature)
    }

    /// A verifier holding the shared HS256 secret.
    static func hsVerifier(
        clockSkew: Int64 = JWTVerifier.Configuration.defaultClockSkew,
        issuer: String? = nil,
        audience: String? = nil
    ) throws -> JWTVerifier {
        try JWTVerifier(keys: [.hs256(secret: secret)], clockSkew: clockSkew, issuer: issuer, audience: audience)
    }

    static func rsaVerifier(kid: String? = nil) throws -> JWTVerifier {
        try JWTVerifier(keys: [.publicKey(pem: Fixtures.rsaPublic, kid: kid)])
    }

    static func ecVerifier(kid: String? = nil) throws -> JWTVerifier {
        try JWTVerifier(keys: [.publicKey(pem: Fixtures.ecPublic, kid: kid)])
    }

    static func rsaSigningKey() throws -> JWTSigningKey { try .privateKey(pem: Fixtures.rsaPrivate) }
    static func ecSigningKey() throws -> JWTSigningKey { try .privateKey(pem: Fixtures.ecPrivate) }

    /// Replaces segment `index` (0 header, 1 payload, 2 signature) of `token`.
    static func replacingSegment(_ index: Int, of token: String, with segment: String) -> String {
        var parts = token.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        parts[index] = segment
        return parts.joined(separator: ".")
    }

    /// The decoded bytes of segment `index` of `token`.
    static func segmentBytes(_ index: Int, of token: String) -> [UInt8] {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard let bytes = Base64URL.decode(parts[index]) else { fatalError("not base64url") }
        return bytes
    }

    /// `token` with one bit of segment `index`'s decoded bytes flipped at `byte`.
    static func flippingBit(inSegment index: Int, of token: String, byte: Int = 0) -> String {
        var bytes = segmentBytes(index, of: token)
        let position = byte >= 0 ? byte : bytes.count + byte
        bytes[position] ^= 0x01
        return replacingSegment(index, of: token, with: Base64URL.encode(bytes))
    }
}

/// Expects `verifier` to reject `token` at `now` with exactly `error`.
func expectRejection(
    _ error: JWTError,
    _ token: String,
    by verifier: JWTVerifier,
    now: Int64 = TestData.now,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(throws: error, sourceLocation: sourceLocation) {
        try verifier.verify(token, now: now)
    }
}
