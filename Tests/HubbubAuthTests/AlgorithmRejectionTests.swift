import HubbubAuth
import Testing

/// `alg` is only ever a filter: the key decides how a signature is checked.
@Suite struct AlgorithmRejectionTests {
    private let payload = #"{"sub":"mallory","exp":1700003600}"#

    @Test(arguments: ["none", "None", "NONE", "nOnE"])
    func algNoneIsRejected(name: String) throws {
        let header = #"{"alg":"\#(name)","typ":"JWT"}"#
        let unsigned = TestData.token(header: header, payload: payload, signature: [])
        // Also with a "signature" made by the real secret, in case a verifier skipped
        // the check only for empty signatures.
        let signed = TestData.hs256(header: header, payload: payload)
        for verifier in [try TestData.hsVerifier(), try TestData.rsaVerifier(), try TestData.ecVerifier()] {
            expectRejection(.unsupportedAlgorithm, unsigned, by: verifier)
            expectRejection(.unsupportedAlgorithm, signed, by: verifier)
        }
    }

    @Test(arguments: ["HS384", "HS512", "RS384", "RS512", "PS256", "ES384", "ES512", "EdDSA", "hs256", "HS256 ", ""])
    func otherAlgorithmsAreRejected(name: String) throws {
        let token = TestData.hs256(header: #"{"alg":"\#(name)"}"#, payload: payload)
        expectRejection(.unsupportedAlgorithm, token, by: try TestData.hsVerifier())
    }

    @Test func algorithmWithoutAConfiguredKeyIsUnsupported() throws {
        let hsToken = JWTSigner.hs256(claims: TestData.claims, secret: TestData.secret)
        let rsToken = try JWTSigner.sign(claims: TestData.claims, key: TestData.rsaSigningKey())
        let esToken = try JWTSigner.sign(claims: TestData.claims, key: TestData.ecSigningKey())
        expectRejection(.unsupportedAlgorithm, rsToken, by: try TestData.hsVerifier())
        expectRejection(.unsupportedAlgorithm, esToken, by: try TestData.hsVerifier())
        expectRejection(.unsupportedAlgorithm, hsToken, by: try TestData.rsaVerifier())
        expectRejection(.unsupportedAlgorithm, esToken, by: try TestData.rsaVerifier())
        expectRejection(.unsupportedAlgorithm, hsToken, by: try TestData.ecVerifier())
        expectRejection(.unsupportedAlgorithm, rsToken, by: try TestData.ecVerifier())
    }

    // MARK: The key-confusion attack

    /// An attacker who knows the server's public key signs an HS256 token using the
    /// public key's PEM text as the HMAC secret, hoping the verifier feeds that same
    /// text to HMAC because the header says HS256.
    private func confusionToken(pem: String, kid: String? = nil) throws -> String {
        let header = kid.map { #"{"alg":"HS256","typ":"JWT","kid":"\#($0)"}"# } ?? #"{"alg":"HS256","typ":"JWT"}"#
        return try JWTSigner.sign(headerJSON: header, payloadJSON: payload, key: .hs256(secret: Array(pem.utf8)))
    }

    @Test(arguments: [Fixtures.rsaPublic, Fixtures.rsaPublic + "\n", Fixtures.rsaCertificate])
    func hs256SignedWithTheRSAPublicKeyIsRejected(pem: String) throws {
        let verifier = try JWTVerifier(keys: [.publicKey(pem: Fixtures.rsaPublic)])
        expectRejection(.unsupportedAlgorithm, try confusionToken(pem: pem), by: verifier)
    }

    @Test func hs256SignedWithTheECPublicKeyIsRejected() throws {
        let verifier = try JWTVerifier(keys: [.publicKey(pem: Fixtures.ecPublic)])
        expectRejection(.unsupportedAlgorithm, try confusionToken(pem: Fixtures.ecPublic), by: verifier)
    }

    @Test func confusionNamingTheRSAKeyByKidIsAnAlgorithmMismatch() throws {
        // The verifier also accepts HS256, so `alg` alone does not stop the token: the
        // key the `kid` selects is an RSA key, and RSA keys verify only RS256.
        let verifier = try JWTVerifier(keys: [
            .publicKey(pem: Fixtures.rsaPublic, kid: "rsa"), .hs256(secret: TestData.secret, kid: "hs"),
        ])
        expectRejection(.algorithmMismatch, try confusionToken(pem: Fixtures.rsaPublic, kid: "rsa"), by: verifier)
    }

    @Test func confusionAgainstAVerifierThatAlsoHoldsASecretIsABadSignature() throws {
        let verifier = try JWTVerifier(keys: [.publicKey(pem: Fixtures.rsaPublic), .hs256(secret: TestData.secret)])
        expectRejection(.badSignature, try confusionToken(pem: Fixtures.rsaPublic), by: verifier)
    }

    @Test func kidNamingAKeyOfAnotherAlgorithmIsAMismatch() throws {
        let verifier = try JWTVerifier(keys: [
            .publicKey(pem: Fixtures.rsaPublic, kid: "rsa"), .publicKey(pem: Fixtures.ecPublic, kid: "ec"),
        ])
        // An ES256 token that names the RSA key, and the reverse.
        let es = try JWTSigner.sign(claims: TestData.claims, key: TestData.ecSigningKey(), kid: "rsa")
        let rs = try JWTSigner.sign(claims: TestData.claims, key: TestData.rsaSigningKey(), kid: "ec")
        expectRejection(.algorithmMismatch, es, by: verifier)
        expectRejection(.algorithmMismatch, rs, by: verifier)
    }

    @Test func relabelledSignatureIsRejected() throws {
        // A genuine ES256 signature under a header that claims RS256, and the reverse:
        // the RSA key sees a 64-byte signature, the EC key a 256-byte one.
        let verifier = try JWTVerifier(keys: [.publicKey(pem: Fixtures.rsaPublic), .publicKey(pem: Fixtures.ecPublic)])
        let es = try JWTSigner.sign(claims: TestData.claims, key: TestData.ecSigningKey())
        let rs = try JWTSigner.sign(claims: TestData.claims, key: TestData.rsaSigningKey())
        let esAsRS = TestData.token(
            header: #"{"alg":"RS256","typ":"JWT"}"#, payload: #"{"sub":"user-1","exp":1700003600}"#,
            signature: TestData.segmentBytes(2, of: es))
        let rsAsES = TestData.token(
            header: #"{"alg":"ES256","typ":"JWT"}"#, payload: #"{"sub":"user-1","exp":1700003600}"#,
            signature: TestData.segmentBytes(2, of: rs))
        expectRejection(.badSignature, esAsRS, by: verifier)
        expectRejection(.badSignature, rsAsES, by: verifier)
    }
}
