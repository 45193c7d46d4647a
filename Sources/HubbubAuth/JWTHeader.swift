import HubbubJSON
/// The JOSE header fields the verifier acts on (RFC 7515 section 4.1).
struct JWTHeader {
    /// `alg`: one of the supported algorithms.
    var algorithm: JWTAlgorithm
    /// `kid`: which key the token was signed with, if it says.
    var kid: String?

    /// Parses a decoded header. ``JWTError/malformed`` when it is not a JSON object,
    /// `alg` is missing or not a string, `kid` is not a string, `typ` is present but not
    /// `JWT`, or `crit` is present (Hubbub understands no header extensions, and
    /// RFC 7515 section 4.1.11 requires rejecting tokens that need one).
    /// ``JWTError/unsupportedAlgorithm`` when `alg` is `none` or unknown.
    init(json: [UInt8]) throws(JWTError) {
        guard let members = JSONParser.parseObject(json) else { throw .malformed }
        guard case .string(let name)? = members["alg"] else { throw .malformed }
        guard let algorithm = JWTAlgorithm(rawValue: name) else { throw .unsupportedAlgorithm }
        self.algorithm = algorithm
        switch members["kid"] {
        case nil: kid = nil
        case .string(let kid)?: self.kid = kid
        default: throw .malformed
        }
        if let type = members["typ"] {
            guard case .string(let text) = type, Self.isJWTType(text) else { throw .malformed }
        }
        guard members["crit"] == nil else { throw .malformed }
    }

    /// `JWT`, compared case-insensitively, also as the full media type (RFC 7519
    /// section 5.1).
    private static func isJWTType(_ text: String) -> Bool {
        let lowered = text.lowercased()
        return lowered == "jwt" || lowered == "application/jwt"
    }
}
