/// A key that signs tokens: an HS256 secret, or an RSA (RS256) or EC P-256 (ES256)
/// private key. For `hubbub token` and tests; the server only verifies.
public struct JWTSigningKey: Sendable {
    enum Material: Sendable {
        case secret([UInt8])
        case privateKey(EVPKey)
    }

    /// The algorithm this key signs with.
    public let algorithm: JWTAlgorithm
    let material: Material

    /// An HS256 secret. Any length is accepted here (development tokens), but a
    /// ``JWTVerifier`` needs at least ``JWTKey/minimumSecretLength`` bytes.
    public static func hs256(secret: [UInt8]) -> JWTSigningKey {
        JWTSigningKey(algorithm: .hs256, material: .secret(secret))
    }

    /// An unencrypted PEM private key: RSA of at least 2048 bits signs RS256, EC P-256
    /// signs ES256.
    public static func privateKey(pem: String) throws(JWTError) -> JWTSigningKey {
        let key = try EVPKey.privateKey(pem: Array(pem.utf8))
        return JWTSigningKey(algorithm: try key.jwtAlgorithm(), material: .privateKey(key))
    }

    /// The JWS signature of `input` (`header.payload` in ASCII).
    func signature(of input: [UInt8]) throws(JWTError) -> [UInt8] {
        switch material {
        case .secret(let secret):
            guard let mac = HMACSHA256.mac(key: secret, message: input[...]) else {
                throw .keyError("HMAC-SHA256 failed")
            }
            return mac
        case .privateKey(let key):
            guard let signature = key.signSHA256(message: input) else { throw .keyError("signing failed") }
            guard algorithm == .es256 else { return signature }
            guard let raw = ECDSASignature.raw(fromDER: signature) else { throw .keyError("signing failed") }
            return raw
        }
    }
}
