import HubbubAuth
import Testing

/// RFC 7515 appendix A. The examples' payload has no `sub`, which Hubbub requires, so
/// a genuine example token ends in `missingClaim("sub")`: an outcome reached only
/// after its signature verified (the same token with one bit flipped, or checked with
/// another key, ends in `badSignature`).
@Suite struct RFC7515ExampleTests {
    /// Before the examples' `exp` (2011).
    private let before = RFC7515.expiry - 60
    private let payloadWithSubject =
        "{\"iss\":\"joe\",\r\n \"sub\":\"joe\",\r\n \"exp\":1300819380,\r\n \"http://example.com/is_root\":true}"

    // MARK: A.1 HS256

    @Test func a1SigningReproducesTheExampleToken() throws {
        let key = try #require(Base64URL.decode(RFC7515.A1.key))
        #expect(key.count == 64)
        let token = try JWTSigner.sign(
            headerJSON: RFC7515.A1.headerJSON, payloadJSON: RFC7515.payloadJSON, key: .hs256(secret: key))
        #expect(token == RFC7515.A1.token)
    }

    @Test func a1ExampleSignatureVerifies() throws {
        let key = try #require(Base64URL.decode(RFC7515.A1.key))
        let verifier = try JWTVerifier(keys: [.hs256(secret: key)])
        expectRejection(.missingClaim("sub"), RFC7515.A1.token, by: verifier, now: before)
        expectRejection(
            .badSignature, TestData.flippingBit(inSegment: 2, of: RFC7515.A1.token, byte: -1), by: verifier, now: before
        )
        expectRejection(.badSignature, RFC7515.A1.token, by: try TestData.hsVerifier(), now: before)
    }

    @Test func a1HeaderWithSubjectIsAcceptedUntilExpiry() throws {
        let key = try #require(Base64URL.decode(RFC7515.A1.key))
        let token = try JWTSigner.sign(
            headerJSON: RFC7515.A1.headerJSON, payloadJSON: payloadWithSubject, key: .hs256(secret: key))
        let verifier = try JWTVerifier(keys: [.hs256(secret: key)], clockSkew: 0)
        let claims = try verifier.verify(token, now: before)
        #expect(claims == JWTClaims(subject: "joe", expiresAt: RFC7515.expiry, issuer: "joe"))
        #expect(try verifier.verify(token, now: RFC7515.expiry - 1).subject == "joe")
        expectRejection(.expired, token, by: verifier, now: RFC7515.expiry)
    }

    // MARK: A.2 RS256

    @Test func a2SigningReproducesTheExampleToken() throws {
        // RSASSA-PKCS1-v1_5 is deterministic, so the RFC's private key must give the
        // RFC's signature byte for byte.
        let key = try JWTSigningKey.privateKey(pem: RFC7515.A2.privateKeyPEM)
        #expect(key.algorithm == .rs256)
        let token = try JWTSigner.sign(
            headerJSON: RFC7515.A2.headerJSON, payloadJSON: RFC7515.payloadJSON, key: key)
        #expect(token == RFC7515.A2.token)
    }

    @Test func a2ExampleSignatureVerifies() throws {
        let verifier = try JWTVerifier(keys: [.publicKey(pem: RFC7515.A2.publicKeyPEM)])
        expectRejection(.missingClaim("sub"), RFC7515.A2.token, by: verifier, now: before)
        expectRejection(
            .badSignature, TestData.flippingBit(inSegment: 2, of: RFC7515.A2.token, byte: 100), by: verifier,
            now: before)
        expectRejection(.badSignature, RFC7515.A2.token, by: try TestData.rsaVerifier(), now: before)
    }

    // MARK: A.3 ES256

    @Test func a3ExampleSignatureVerifies() throws {
        let verifier = try JWTVerifier(keys: [.publicKey(pem: RFC7515.A3.publicKeyPEM)])
        #expect(TestData.segmentBytes(2, of: RFC7515.A3.token).count == 64)
        expectRejection(.missingClaim("sub"), RFC7515.A3.token, by: verifier, now: before)
        expectRejection(
            .badSignature, TestData.flippingBit(inSegment: 2, of: RFC7515.A3.token, byte: 5), by: verifier, now: before)
        expectRejection(
            .badSignature, TestData.flippingBit(inSegment: 2, of: RFC7515.A3.token, byte: 40), by: verifier, now: before
        )
        expectRejection(.badSignature, RFC7515.A3.token, by: try TestData.ecVerifier(), now: before)
    }

    @Test func a3PrivateKeySignsTokensThePublicKeyAccepts() throws {
        // ECDSA signatures are randomized: check a fresh one verifies instead.
        let key = try JWTSigningKey.privateKey(pem: RFC7515.A3.privateKeyPEM)
        #expect(key.algorithm == .es256)
        let token = try JWTSigner.sign(
            headerJSON: RFC7515.A3.headerJSON, payloadJSON: payloadWithSubject, key: key)
        #expect(token != RFC7515.A3.token)
        let verifier = try JWTVerifier(keys: [.publicKey(pem: RFC7515.A3.publicKeyPEM)])
        #expect(try verifier.verify(token, now: before).subject == "joe")
    }

    // MARK: A.5 Unsecured

    @Test func a5UnsecuredExampleIsRejectedByEveryVerifier() throws {
        let token = "eyJhbGciOiJub25lIn0." + RFC7515.payloadSegment + "."
        for verifier in [try TestData.hsVerifier(), try TestData.rsaVerifier(), try TestData.ecVerifier()] {
            expectRejection(.unsupportedAlgorithm, token, by: verifier, now: before)
        }
    }
}
