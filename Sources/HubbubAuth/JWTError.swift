/// Why a token was rejected, or why a key or configuration could not be used.
///
/// Every ``description`` is short and safe to send to a client: it never contains the
/// token or anything taken from it. Claim names in ``missingClaim(_:)`` and
/// ``invalidClaim(_:)`` are always Hubbub's own (`sub`, `exp`, `nbf`, `iat`, `iss`, `aud`,
/// `name`). Key and configuration errors happen when the server starts and may name
/// a file.
public struct JWTError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The kind of failure, for switching, metrics and wire codes.
    public enum Code: String, Sendable, Hashable, CaseIterable {
        case malformed
        case tooLarge
        case unsupportedAlgorithm
        case algorithmMismatch
        case unknownKey
        case badSignature
        case expired
        case notYetValid
        case missingClaim
        case invalidClaim
        case keyError
        case invalidConfiguration
    }

    private enum Base: Equatable, Sendable {
        case malformed
        case tooLarge
        case unsupportedAlgorithm
        case algorithmMismatch
        case unknownKey
        case badSignature
        case expired
        case notYetValid
        case missingClaim(String)
        case invalidClaim(String)
        case keyError(String)
        case invalidConfiguration(String)
    }

    private let base: Base

    private init(_ base: Base) {
        self.base = base
    }

    /// Not three base64url segments, a header or payload that is not a JSON object,
    /// or a header that is missing `alg`, has a `typ` other than JWT, or has `crit`.
    public static let malformed = JWTError(.malformed)
    /// Longer than the verifier's `maxTokenLength`.
    public static let tooLarge = JWTError(.tooLarge)
    /// `alg` is `none`, unknown, or not one any configured key verifies.
    public static let unsupportedAlgorithm = JWTError(.unsupportedAlgorithm)
    /// The key named by `kid` is for a different algorithm than `alg` (for example an
    /// HS256 token naming an RSA key: the key-confusion attack).
    public static let algorithmMismatch = JWTError(.algorithmMismatch)
    /// `kid` names no configured key, and no key without a `kid` fits `alg`.
    public static let unknownKey = JWTError(.unknownKey)
    /// The signature does not verify with any candidate key, or has the wrong length.
    public static let badSignature = JWTError(.badSignature)
    /// `exp` is at or before `now - clockSkew`.
    public static let expired = JWTError(.expired)
    /// `nbf` is after `now + clockSkew`.
    public static let notYetValid = JWTError(.notYetValid)

    /// A required claim is absent (`sub`, `exp`, or a required `iss`/`aud`).
    public static func missingClaim(_ name: String) -> JWTError { JWTError(.missingClaim(name)) }
    /// A claim has the wrong type or value (an empty `sub`, a non-numeric `exp`, an
    /// issuer or audience other than the required one).
    public static func invalidClaim(_ name: String) -> JWTError { JWTError(.invalidClaim(name)) }
    /// A key could not be read, parsed or used (configuration time).
    public static func keyError(_ reason: String) -> JWTError { JWTError(.keyError(reason)) }
    /// A verifier setting is out of range or inconsistent (configuration time).
    public static func invalidConfiguration(_ reason: String) -> JWTError {
        JWTError(.invalidConfiguration(reason))
    }

    /// A key error whose reason starts with `source` (a file name), so the operator
    /// knows which of several keys failed; other errors unchanged.
    func naming(_ source: String) -> JWTError {
        guard case .keyError(let reason) = base, !reason.hasPrefix(source + ":") else { return self }
        return .keyError("\(source): \(reason)")
    }

    /// The kind of failure.
    public var code: Code {
        switch base {
        case .malformed: .malformed
        case .tooLarge: .tooLarge
        case .unsupportedAlgorithm: .unsupportedAlgorithm
        case .algorithmMismatch: .algorithmMismatch
        case .unknownKey: .unknownKey
        case .badSignature: .badSignature
        case .expired: .expired
        case .notYetValid: .notYetValid
        case .missingClaim: .missingClaim
        case .invalidClaim: .invalidClaim
        case .keyError: .keyError
        case .invalidConfiguration: .invalidConfiguration
        }
    }

    /// A short reason, safe to show to the client.
    public var description: String {
        switch base {
        case .malformed: "malformed token"
        case .tooLarge: "token too large"
        case .unsupportedAlgorithm: "unsupported token algorithm"
        case .algorithmMismatch: "token algorithm does not match the key"
        case .unknownKey: "unknown key id"
        case .badSignature: "invalid token signature"
        case .expired: "token expired"
        case .notYetValid: "token not yet valid"
        case .missingClaim(let name): "missing claim '\(name)'"
        case .invalidClaim(let name): "invalid claim '\(name)'"
        case .keyError(let reason): "key error: \(reason)"
        case .invalidConfiguration(let reason): "invalid JWT configuration: \(reason)"
        }
    }
}
