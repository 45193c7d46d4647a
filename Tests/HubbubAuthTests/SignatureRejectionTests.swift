import HubbubAuth
import Testing

/// Any change to a signed token, or a key other than the signer's, fails the signature.
@Suite struct SignatureRejectionTests {
    /// One token per algorithm, with the verifier that accepts it and one holding the
    /// wrong key of the same kind.
    private struct Case {
        var token: String
        var verifier: JWTVerifier
        var wrongKeyVerifier: JWTVerifier
    }

    private func cases() throws -> [Case] {
        [
            Case(
                token: JWTSigner.hs256(claims: TestData.claims, secret: TestData.secret),
                verifier: try TestData.hsVerifier(),
                wrongKeyVerifier: try JWTVerifier(keys: [.hs256(secret: TestData.otherSecret)])),
            Case(
                token: try JWTSigner.sign(claims: TestData.claims, key: TestData.rsaSigningKey()),
                verifier: try TestData.rsaVerifier(),
                wrongKeyVerifier: try JWTVerifier(keys: [.publicKey(pem: Fixtures.otherRSAPublic)])),
            Case(
                token: try JWTSigner.sign(claims: TestData.claims, key: TestData.ecSigningKey()),
                verifier: try TestData.ecVerifier(),
                wrongKeyVerifier: try JWTVerifier(keys: [.publicKey(pem: Fixtures.otherECPublic)])),
        ]
    }

    @Test func controlTokensVerify() throws {
        for item in try cases() {
            #expect(try item.verifier.verify(item.token, now: TestData.now) == TestData.claims)
        }
    }

    @Test func tamperedPayloadIsRejected() throws {
        for item in try cases() {
            let forged = Base64URL.encode(Array(#"{"sub":"admin","exp":1700003600}"#.utf8))
            expectRejection(
                .badSignature, TestData.replacingSegment(1, of: item.token, with: forged), by: item.verifier)
            expectRejection(
                .badSignature, TestData.flippingBit(inSegment: 1, of: item.token, byte: 9), by: item.verifier)
        }
    }

    @Test func tamperedHeaderIsRejected() throws {
        for item in try cases() {
            var header = String(decoding: TestData.segmentBytes(0, of: item.token), as: UTF8.self)
            header = header.replacingFirst(#""typ":"JWT""#, with: #""typ":"jwt""#)
            expectRejection(
                .badSignature, TestData.replacingSegment(0, of: item.token, with: Base64URL.encode(Array(header.utf8))),
                by: item.verifier)
        }
    }

    @Test func tamperedSignatureIsRejected() throws {
        for item in try cases() {
            let length = TestData.segmentBytes(2, of: item.token).count
            for byte in [0, length / 2, length - 1] {
                expectRejection(
                    .badSignature, TestData.flippingBit(inSegment: 2, of: item.token, byte: byte), by: item.verifier)
            }
        }
    }

    @Test func wrongKeyIsRejected() throws {
        for item in try cases() {
            expectRejection(.badSignature, item.token, by: item.wrongKeyVerifier)
        }
    }

    @Test func emptyOrResizedSignatureIsRejected() throws {
        for item in try cases() {
            let signature = TestData.segmentBytes(2, of: item.token)
            for resized in [[], Array(signature.dropLast()), signature + [0], signature + signature] {
                let token = TestData.replacingSegment(2, of: item.token, with: Base64URL.encode(resized))
                expectRejection(.badSignature, token, by: item.verifier)
            }
        }
    }

    @Test func es256SignatureInDERFormIsRejected() throws {
        // Some libraries emit DER; JWS requires the raw 64-byte R || S.
        let token = try JWTSigner.sign(claims: TestData.claims, key: TestData.ecSigningKey())
        let raw = TestData.segmentBytes(2, of: token)
        let der = DER.sequence(DER.integer(Array(raw[0..<32])), DER.integer(Array(raw[32...])))
        expectRejection(
            .badSignature, TestData.replacingSegment(2, of: token, with: Base64URL.encode(der)),
            by: try TestData.ecVerifier())
    }

    @Test func es256ZeroSignatureIsRejected() throws {
        let token = try JWTSigner.sign(claims: TestData.claims, key: TestData.ecSigningKey())
        let zeros = Base64URL.encode([UInt8](repeating: 0, count: 64))
        expectRejection(
            .badSignature, TestData.replacingSegment(2, of: token, with: zeros), by: try TestData.ecVerifier())
    }

    @Test func unknownKidIsRejected() throws {
        let verifier = try JWTVerifier(keys: [
            .publicKey(pem: Fixtures.rsaPublic, kid: "rsa-1"), .hs256(secret: TestData.secret, kid: "hs-1"),
        ])
        let token = try JWTSigner.sign(claims: TestData.claims, key: TestData.rsaSigningKey(), kid: "rsa-2")
        expectRejection(.unknownKey, token, by: verifier)
    }

    @Test func unknownKidDoesNotFallBackToKeylessKeysOfAnotherAlgorithm() throws {
        let verifier = try JWTVerifier(keys: [
            .publicKey(pem: Fixtures.rsaPublic, kid: "rsa-1"), .hs256(secret: TestData.secret),
        ])
        let token = try JWTSigner.sign(claims: TestData.claims, key: TestData.rsaSigningKey(), kid: "rsa-2")
        expectRejection(.unknownKey, token, by: verifier)
    }

    @Test func kidSelectsOnlyThatKey() throws {
        // Signed by the key configured as "b" but claiming to be "a": "a" alone is tried.
        let verifier = try JWTVerifier(keys: [
            .publicKey(pem: Fixtures.otherRSAPublic, kid: "a"), .publicKey(pem: Fixtures.rsaPublic, kid: "b"),
        ])
        let token = try JWTSigner.sign(claims: TestData.claims, key: TestData.rsaSigningKey(), kid: "a")
        expectRejection(.badSignature, token, by: verifier)
    }
}

extension String {
    fileprivate func replacingFirst(_ target: String, with replacement: String) -> String {
        var copy = self
        guard let range = copy.firstRange(of: target) else { fatalError("\(target) not in \(self)") }
        copy.replaceSubrange(range, with: replacement)
        return copy
    }
}
