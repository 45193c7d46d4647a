import HubbubAuth
import HubbubJSON
import HubbubStore

/// Verifies tokens and maps failures to the protocol's `unauthorized` reasons
/// (protocol/errors.md).
public struct Authenticator: Sendable {
    public let verifier: JWTVerifier

    public init(verifier: JWTVerifier) {
        self.verifier = verifier
    }

    /// The identity in `token`, or the `unauthorized` error to answer.
    func identity(from token: String, nowMillis: Int64) -> Result<Identity, ProtocolError> {
        do {
            let claims = try verifier.verify(token, now: nowMillis / 1000)
            guard let name = claims.name, !name.isEmpty, name.count <= 200 else {
                return .failure(Self.unauthorized(reason: "missing_claim", "the token has no name claim"))
            }
            guard !claims.subject.isEmpty, claims.subject.count <= 128,
                !claims.subject.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
            else {
                return .failure(Self.unauthorized(reason: "invalid_claim", "the token's sub is not a valid user id"))
            }
            return .success(Identity(userID: claims.subject, name: name, expiresAtMillis: claims.expiresAt * 1000))
        } catch {
            return .failure(Self.unauthorized(reason: Self.reason(for: error.code), "token rejected: \(error)"))
        }
    }

    static func unauthorized(reason: String, _ message: String) -> ProtocolError {
        ProtocolError(.unauthorized, message, details: .object(["reason": .string(reason)]))
    }

    /// The wire `reason` of a verification failure.
    static func reason(for code: JWTError.Code) -> String {
        switch code {
        case .malformed, .tooLarge: "malformed"
        case .unsupportedAlgorithm, .algorithmMismatch: "unsupported_alg"
        case .unknownKey: "unknown_key"
        case .badSignature: "invalid_signature"
        case .expired: "expired"
        case .notYetValid: "not_yet_valid"
        case .missingClaim: "missing_claim"
        case .invalidClaim: "invalid_claim"
        case .keyError, .invalidConfiguration: "invalid_signature"
        }
    }
}
