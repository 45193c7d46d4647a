/// Verifies compact JWS tokens (RFC 7515/7519) signed with HS256, RS256 or ES256.
///
/// Immutable after `init` and safe to share between threads. `verify` checks, in
/// order: the size; three canonical base64url segments; the header (`alg` supported
/// by a configured key, `typ` JWT if present, no `crit`); the key (`kid` if present);
/// the signature; the payload's claims; `exp`/`nbf` against `now` with the clock
/// skew; the required issuer and audience. The payload is parsed only after its
/// signature has been verified.
///
/// Key selection: a `kid` that names a configured key selects that key alone, and its
/// algorithm must equal `alg` (else ``JWTError/algorithmMismatch``). A `kid` that names
/// no key falls back to the keys configured without one; with no `kid`, every key for
/// `alg` is tried. The algorithm comes from the key, never from the token.
public final class JWTVerifier: Sendable {
    /// The settings this verifier was made with.
    public let configuration: Configuration
    private let keysByID: [String: JWTKey]
    private let keysWithoutID: [JWTKey]
    private let algorithms: Set<JWTAlgorithm>

    /// A verifier for `configuration`; ``JWTError/invalidConfiguration(_:)`` when it
    /// has no key, a repeated `kid`, a negative clock skew or a token length limit
    /// below 16 bytes, or an empty required issuer or audience.
    public init(configuration: Configuration) throws(JWTError) {
        guard !configuration.keys.isEmpty else { throw .invalidConfiguration("no keys configured") }
        guard configuration.clockSkew >= 0, configuration.expiryLeeway >= 0 else {
            throw .invalidConfiguration("clock skew and expiry leeway must not be negative")
        }
        guard configuration.maxTokenLength >= 16 else {
            throw .invalidConfiguration("maximum token length must be at least 16 bytes")
        }
        if let issuer = configuration.issuer, issuer.isEmpty {
            throw .invalidConfiguration("required issuer is empty")
        }
        if let audience = configuration.audience, audience.isEmpty {
            throw .invalidConfiguration("required audience is empty")
        }
        var keysByID: [String: JWTKey] = [:]
        for key in configuration.keys {
            guard let kid = key.kid else { continue }
            guard keysByID.updateValue(key, forKey: kid) == nil else {
                throw .invalidConfiguration("key id '\(kid)' is used twice")
            }
        }
        self.configuration = configuration
        self.keysByID = keysByID
        self.keysWithoutID = configuration.keys.filter { $0.kid == nil }
        self.algorithms = Set(configuration.keys.map(\.algorithm))
    }

    /// A verifier for `keys` with the other settings given here.
    public convenience init(
        keys: [JWTKey],
        clockSkew: Int64 = Configuration.defaultClockSkew,
        issuer: String? = nil,
        audience: String? = nil,
        maxTokenLength: Int = Configuration.defaultMaxTokenLength
    ) throws(JWTError) {
        try self.init(
            configuration: Configuration(
                keys: keys, clockSkew: clockSkew, issuer: issuer, audience: audience,
                maxTokenLength: maxTokenLength))
    }

    /// The claims of `token` if it is valid at `now` (Unix seconds); otherwise the
    /// reason, safe to send to the client.
    public func verify(_ token: String, now: Int64) throws(JWTError) -> JWTClaims {
        guard token.utf8.count <= configuration.maxTokenLength else { throw .tooLarge }
        let bytes = Array(token.utf8)
        let segments = try JWTSegments(bytes)
        guard let headerJSON = Base64URL.decode(bytes: bytes[segments.header]),
            let payloadJSON = Base64URL.decode(bytes: bytes[segments.payload]),
            let signature = Base64URL.decode(bytes: bytes[segments.signature])
        else { throw .malformed }

        let header = try JWTHeader(json: headerJSON)
        let signingInput = bytes[segments.signingInput]
        let verified = try candidateKeys(for: header).contains { key in
            key.verifies(signature: signature, over: signingInput)
        }
        guard verified else { throw .badSignature }

        let claims = try JWTClaims(payload: payloadJSON)
        try checkTimes(of: claims, now: now)
        try checkIssuerAndAudience(of: claims)
        return claims
    }

    private func candidateKeys(for header: JWTHeader) throws(JWTError) -> [JWTKey] {
        guard algorithms.contains(header.algorithm) else { throw .unsupportedAlgorithm }
        guard let kid = header.kid else {
            return configuration.keys.filter { $0.algorithm == header.algorithm }
        }
        if let key = keysByID[kid] {
            guard key.algorithm == header.algorithm else { throw .algorithmMismatch }
            return [key]
        }
        let fallback = keysWithoutID.filter { $0.algorithm == header.algorithm }
        guard !fallback.isEmpty else { throw .unknownKey }
        return fallback
    }

    /// Expired when `exp <= now - expiryLeeway` (no leeway by default: protocol/README.md
    /// section 1.4); not yet valid when `nbf > now + skew` or `iat > now + skew`. The sums
    /// saturate instead of overflowing.
    private func checkTimes(of claims: JWTClaims, now: Int64) throws(JWTError) {
        let (earliest, underflow) = now.subtractingReportingOverflow(configuration.expiryLeeway)
        if !underflow, claims.expiresAt <= earliest { throw .expired }
        let (latest, overflow) = now.addingReportingOverflow(configuration.clockSkew)
        guard !overflow else { return }
        if let notBefore = claims.notBefore, notBefore > latest { throw .notYetValid }
        if let issuedAt = claims.issuedAt, issuedAt > latest { throw .notYetValid }
    }

    private func checkIssuerAndAudience(of claims: JWTClaims) throws(JWTError) {
        if let required = configuration.issuer {
            guard let issuer = claims.issuer else { throw .missingClaim("iss") }
            guard issuer == required else { throw .invalidClaim("iss") }
        }
        if let required = configuration.audience {
            guard !claims.audience.isEmpty else { throw .missingClaim("aud") }
            guard claims.audience.contains(required) else { throw .invalidClaim("aud") }
        }
    }
}
