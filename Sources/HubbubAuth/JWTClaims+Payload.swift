import HubbubJSON
extension JWTClaims {
    /// The claims of a decoded, signature-checked payload.
    ///
    /// `sub` must be a non-empty string and `exp` a number; `nbf` and `iat` numbers,
    /// `iss` and `name` strings, and `aud` a string or an array of strings, when
    /// present. Other claims are ignored.
    init(payload json: [UInt8]) throws(JWTError) {
        guard let members = JSONParser.parseObject(json) else { throw .malformed }
        switch members["sub"] {
        case nil: throw .missingClaim("sub")
        case .string(let subject)? where !subject.isEmpty: self.subject = subject
        default: throw .invalidClaim("sub")
        }
        guard let expiry = members["exp"] else { throw .missingClaim("exp") }
        expiresAt = try Self.numericDate(expiry, claim: "exp", roundingUp: false)
        notBefore = try members["nbf"].map { value throws(JWTError) in
            try Self.numericDate(value, claim: "nbf", roundingUp: true)
        }
        issuedAt = try members["iat"].map { value throws(JWTError) in
            try Self.numericDate(value, claim: "iat", roundingUp: false)
        }
        issuer = try Self.optionalString(members["iss"], claim: "iss")
        name = try Self.optionalString(members["name"], claim: "name")
        switch members["aud"] {
        case nil:
            audience = []
        case .string(let single)?:
            audience = [single]
        case .array(let elements)?:
            audience = []
            for element in elements {
                guard case .string(let value) = element else { throw .invalidClaim("aud") }
                audience.append(value)
            }
        default:
            throw .invalidClaim("aud")
        }
    }

    /// A NumericDate (RFC 7519 section 2) in whole seconds. Fractions round towards
    /// the stricter side: `exp` and `iat` down, `nbf` up.
    private static func numericDate(_ value: JSONValue, claim: String, roundingUp: Bool) throws(JWTError) -> Int64 {
        guard case .number(let number) = value else { throw .invalidClaim(claim) }
        if let integer = number.integer { return integer }
        let rounded = number.double.rounded(roundingUp ? .up : .down)
        guard let seconds = Int64(exactly: rounded) else { throw .invalidClaim(claim) }  // inf, NaN, out of range
        return seconds
    }

    private static func optionalString(_ value: JSONValue?, claim: String) throws(JWTError) -> String? {
        switch value {
        case nil: return nil
        case .string(let text)?: return text
        default: throw .invalidClaim(claim)
        }
    }

    /// The claim names this type reads; ``payloadJSON(extra:)`` never takes them from
    /// `extra`.
    static let readClaimNames: Set<String> = ["sub", "name", "iss", "aud", "exp", "nbf", "iat"]

    /// The compact JSON payload ``JWTSigner`` signs. `extra` adds string claims in
    /// name order; names in ``readClaimNames`` are ignored there.
    func payloadJSON(extra: [String: String] = [:]) -> [UInt8] {
        var writer = JSONWriter()
        writer.member("sub", subject)
        if let name { writer.member("name", name) }
        if let issuer { writer.member("iss", issuer) }
        if audience.count == 1 {
            writer.member("aud", audience[0])
        } else if !audience.isEmpty {
            writer.member("aud", audience)
        }
        if let issuedAt { writer.member("iat", issuedAt) }
        if let notBefore { writer.member("nbf", notBefore) }
        writer.member("exp", expiresAt)
        for (key, value) in extra.sorted(by: { $0.key < $1.key }) where !Self.readClaimNames.contains(key) {
            writer.member(key, value)
        }
        return writer.finish()
    }
}
