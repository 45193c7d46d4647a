extension JWTVerifier {
    /// What a ``JWTVerifier`` accepts. The server fills it from its command line:
    /// `--jwt-secret S` and repeatable `--jwt-public-key [KID=]FILE`
    /// (see ``init(secret:publicKeyArguments:clockSkew:issuer:audience:maxTokenLength:)``).
    public struct Configuration: Sendable {
        /// The default allowed clock difference for `nbf` and `iat`, in seconds
        /// (protocol/README.md section 1.4).
        public static let defaultClockSkew: Int64 = 60
        /// The default longest token accepted, in bytes.
        public static let defaultMaxTokenLength = 8192

        /// The keys signatures are checked with.
        public var keys: [JWTKey]
        /// How many seconds `nbf` and `iat` may be in the future; at least 0.
        public var clockSkew: Int64
        /// How many seconds past `exp` a token is still accepted; 0 (the protocol's rule:
        /// no leeway on expiry) unless set.
        public var expiryLeeway: Int64 = 0
        /// When set, `iss` must equal it.
        public var issuer: String?
        /// When set, `aud` must contain it. When nil, `aud` is not checked.
        public var audience: String?
        /// Longer tokens are rejected with ``JWTError/tooLarge`` before any parsing.
        public var maxTokenLength: Int

        public init(
            keys: [JWTKey] = [],
            clockSkew: Int64 = defaultClockSkew,
            issuer: String? = nil,
            audience: String? = nil,
            maxTokenLength: Int = defaultMaxTokenLength
        ) {
            self.keys = keys
            self.clockSkew = clockSkew
            self.issuer = issuer
            self.audience = audience
            self.maxTokenLength = maxTokenLength
        }

        /// A configuration from command-line values: `secret` from `--jwt-secret`
        /// (an HS256 key without `kid`), and each of `publicKeyArguments` from a
        /// `--jwt-public-key` flag, `FILE` or `KID=FILE` (see
        /// ``JWTKey/publicKey(argument:)``). Throws ``JWTError/keyError(_:)`` for a key
        /// that cannot be used.
        public init(
            secret: String?,
            publicKeyArguments: [String],
            clockSkew: Int64 = defaultClockSkew,
            issuer: String? = nil,
            audience: String? = nil,
            maxTokenLength: Int = defaultMaxTokenLength
        ) throws(JWTError) {
            var keys: [JWTKey] = []
            if let secret {
                keys.append(try JWTKey.hs256(secret: secret))
            }
            for argument in publicKeyArguments {
                keys.append(try JWTKey.publicKey(argument: argument))
            }
            self.init(
                keys: keys, clockSkew: clockSkew, issuer: issuer, audience: audience, maxTokenLength: maxTokenLength)
        }
    }
}
