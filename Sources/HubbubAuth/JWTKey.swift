/// A key a ``JWTVerifier`` checks signatures with: an HS256 secret, or an RS256/ES256
/// public key. The algorithm is fixed by the kind of key, so a token can never make
/// the verifier use a key for another algorithm (no RSA public key as an HMAC secret).
public struct JWTKey: Sendable {
    enum Material: Sendable {
        case secret([UInt8])
        case publicKey(EVPKey)
    }

    /// The shortest HS256 secret accepted, in bytes: the hash size, as RFC 7518
    /// section 3.2 requires.
    public static let minimumSecretLength = 32

    /// The `kid` tokens name this key by, if any.
    public let kid: String?
    /// The one algorithm this key verifies.
    public let algorithm: JWTAlgorithm
    let material: Material

    private init(kid: String?, algorithm: JWTAlgorithm, material: Material) throws(JWTError) {
        if let kid, kid.isEmpty { throw .keyError("empty key id") }
        self.kid = kid
        self.algorithm = algorithm
        self.material = material
    }

    /// An HS256 secret of at least ``minimumSecretLength`` bytes.
    public static func hs256(secret: [UInt8], kid: String? = nil) throws(JWTError) -> JWTKey {
        guard secret.count >= minimumSecretLength else {
            throw .keyError("HS256 secrets must be at least \(minimumSecretLength) bytes")
        }
        return try JWTKey(kid: kid, algorithm: .hs256, material: .secret(secret))
    }

    /// An HS256 secret given as text; its UTF-8 bytes are the key.
    public static func hs256(secret: String, kid: String? = nil) throws(JWTError) -> JWTKey {
        try hs256(secret: Array(secret.utf8), kid: kid)
    }

    /// A public key in PEM: `BEGIN PUBLIC KEY` (SubjectPublicKeyInfo) or a
    /// `BEGIN CERTIFICATE`, whose subject key is used. RSA keys (at least 2048 bits)
    /// verify RS256, EC P-256 keys verify ES256.
    public static func publicKey(pem: String, kid: String? = nil) throws(JWTError) -> JWTKey {
        let key = try EVPKey.publicKey(pem: Array(pem.utf8))
        return try JWTKey(kid: kid, algorithm: key.jwtAlgorithm(), material: .publicKey(key))
    }

    /// A public key read from a PEM file, as ``publicKey(pem:kid:)``.
    public static func publicKey(file path: String, kid: String? = nil) throws(JWTError) -> JWTKey {
        let pem = try PEMFile.read(path)
        do {
            let key = try EVPKey.publicKey(pem: pem)
            return try JWTKey(kid: kid, algorithm: key.jwtAlgorithm(), material: .publicKey(key))
        } catch {
            throw error.naming(path)
        }
    }

    /// A public key from the value of a `--jwt-public-key` flag: `FILE`, or `KID=FILE`
    /// to give it a key id. The value is split at its first `=` unless the part before
    /// it contains a `/` (then it is all a path).
    public static func publicKey(argument: String) throws(JWTError) -> JWTKey {
        guard let equals = argument.firstIndex(of: "="), !argument[..<equals].contains("/") else {
            guard !argument.isEmpty else { throw .keyError("expected FILE or KID=FILE") }
            return try publicKey(file: argument)
        }
        let kid = String(argument[..<equals])
        let path = String(argument[argument.index(after: equals)...])
        guard !kid.isEmpty, !path.isEmpty else { throw .keyError("expected FILE or KID=FILE") }
        return try publicKey(file: path, kid: kid)
    }

    /// Whether `signature` is this key's signature of `input` (the ASCII
    /// `header.payload` of a token). Never throws: any mismatch is just `false`.
    func verifies(signature: [UInt8], over input: ArraySlice<UInt8>) -> Bool {
        switch (algorithm, material) {
        case (.hs256, .secret(let secret)):
            guard signature.count == HMACSHA256.length, let mac = HMACSHA256.mac(key: secret, message: input) else {
                return false
            }
            return HMACSHA256.constantTimeEqual(mac, signature)
        case (.rs256, .publicKey(let key)):
            guard signature.count == key.signatureSize else { return false }
            return key.verifySHA256(signature: signature, message: input)
        case (.es256, .publicKey(let key)):
            guard let der = ECDSASignature.der(fromRaw: signature) else { return false }
            return key.verifySHA256(signature: der, message: input)
        default:
            return false
        }
    }
}
