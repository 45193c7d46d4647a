/// The claims Hubbub reads from a verified token (RFC 7519 section 4.1, plus the
/// OpenID Connect `name`). Other claims in the payload are ignored.
public struct JWTClaims: Sendable, Equatable {
    /// `sub`: the user id; never empty.
    public var subject: String
    /// `name`: a display name, if the issuer supplied one.
    public var name: String?
    /// `exp`: expiry, in Unix seconds. A fractional value is rounded down.
    public var expiresAt: Int64
    /// `iat`: when the token was issued, in Unix seconds (rounded down).
    public var issuedAt: Int64?
    /// `nbf`: the token is not valid before this time, in Unix seconds (rounded up).
    public var notBefore: Int64?
    /// `iss`: who issued the token.
    public var issuer: String?
    /// `aud`: the intended audiences; a single string in the token becomes one element.
    public var audience: [String]

    public init(
        subject: String,
        name: String? = nil,
        expiresAt: Int64,
        issuedAt: Int64? = nil,
        notBefore: Int64? = nil,
        issuer: String? = nil,
        audience: [String] = []
    ) {
        self.subject = subject
        self.name = name
        self.expiresAt = expiresAt
        self.issuedAt = issuedAt
        self.notBefore = notBefore
        self.issuer = issuer
        self.audience = audience
    }
}
