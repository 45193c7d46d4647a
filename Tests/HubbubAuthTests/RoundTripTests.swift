import HubbubAuth
import Testing

/// Tokens minted by `JWTSigner` verify, and give back the claims they were made with.
@Suite struct RoundTripTests {
    private let fullClaims = JWTClaims(
        subject: "user-42",
        name: "Zoë \"Z\" Example\n",
        expiresAt: TestData.now + 600,
        issuedAt: TestData.now - 5,
        notBefore: TestData.now - 5,
        issuer: "https://auth.example.com",
        audience: ["hubbub", "other"]
    )

    @Test func hs256() throws {
        let token = JWTSigner.hs256(claims: fullClaims, secret: TestData.secret)
        #expect(try TestData.hsVerifier().verify(token, now: TestData.now) == fullClaims)
    }

    @Test func hs256HeaderIsTheDocumentedOne() throws {
        let token = JWTSigner.hs256(claims: TestData.claims, secret: TestData.secret)
        #expect(TestData.segmentBytes(0, of: token) == Array(#"{"alg":"HS256","typ":"JWT"}"#.utf8))
        #expect(
            TestData.segmentBytes(1, of: token) == Array(#"{"sub":"user-1","exp":1700003600}"#.utf8))
    }

    @Test func hs256ExtraClaimsAreWrittenButCannotOverrideRegisteredOnes() throws {
        let token = JWTSigner.hs256(
            claims: TestData.claims, secret: TestData.secret, extra: ["role": "admin", "sub": "root", "exp": "never"])
        #expect(
            TestData.segmentBytes(1, of: token)
                == Array(#"{"sub":"user-1","exp":1700003600,"role":"admin"}"#.utf8))
        #expect(try TestData.hsVerifier().verify(token, now: TestData.now) == TestData.claims)
    }

    @Test func rs256() throws {
        let token = try JWTSigner.sign(claims: fullClaims, algorithm: .rs256, privateKeyPEM: Fixtures.rsaPrivate)
        #expect(TestData.segmentBytes(2, of: token).count == 256)
        #expect(try TestData.rsaVerifier().verify(token, now: TestData.now) == fullClaims)
    }

    @Test func es256() throws {
        let token = try JWTSigner.sign(claims: fullClaims, algorithm: .es256, privateKeyPEM: Fixtures.ecPrivate)
        #expect(TestData.segmentBytes(2, of: token).count == 64)
        #expect(try TestData.ecVerifier().verify(token, now: TestData.now) == fullClaims)
    }

    @Test func es256ManySignaturesAllVerify() throws {
        // Random nonces give R and S with leading zero bytes or the high bit set now
        // and then; every such shape must survive the raw/DER conversions.
        let key = try TestData.ecSigningKey()
        let verifier = try TestData.ecVerifier()
        for index in 0..<200 {
            let claims = JWTClaims(subject: "user-\(index)", expiresAt: TestData.now + 60)
            let token = try JWTSigner.sign(claims: claims, key: key)
            #expect(try verifier.verify(token, now: TestData.now) == claims)
        }
    }

    @Test func kidIsWrittenAndSelectsTheKey() throws {
        let token = try JWTSigner.sign(
            claims: TestData.claims, algorithm: .es256, privateKeyPEM: Fixtures.ecPrivate, kid: "ec-1")
        #expect(TestData.segmentBytes(0, of: token) == Array(#"{"alg":"ES256","typ":"JWT","kid":"ec-1"}"#.utf8))
        let verifier = try JWTVerifier(keys: [
            .publicKey(pem: Fixtures.otherECPublic, kid: "ec-2"),
            .publicKey(pem: Fixtures.ecPublic, kid: "ec-1"),
            .hs256(secret: TestData.secret, kid: "hs"),
        ])
        #expect(try verifier.verify(token, now: TestData.now) == TestData.claims)
    }

    @Test func tokenWithoutKidTriesEveryKeyOfItsAlgorithm() throws {
        let token = try JWTSigner.sign(claims: TestData.claims, key: TestData.rsaSigningKey())
        let verifier = try JWTVerifier(keys: [
            .publicKey(pem: Fixtures.otherRSAPublic, kid: "old"),
            .publicKey(pem: Fixtures.rsaPublic, kid: "new"),
        ])
        #expect(try verifier.verify(token, now: TestData.now) == TestData.claims)
    }

    @Test func unknownKidFallsBackToKeysWithoutKid() throws {
        let token = try JWTSigner.sign(claims: TestData.claims, key: TestData.rsaSigningKey(), kid: "rotated-away")
        let verifier = try JWTVerifier(keys: [
            .publicKey(pem: Fixtures.otherRSAPublic, kid: "other"),
            .publicKey(pem: Fixtures.rsaPublic),
        ])
        #expect(try verifier.verify(token, now: TestData.now) == TestData.claims)
    }

    @Test func certificatesConfigureTheirSubjectKey() throws {
        let verifier = try JWTVerifier(keys: [
            .publicKey(pem: Fixtures.rsaCertificate), .publicKey(pem: Fixtures.ecCertificate),
        ])
        let rsaToken = try JWTSigner.sign(claims: TestData.claims, key: TestData.rsaSigningKey())
        let ecToken = try JWTSigner.sign(claims: TestData.claims, key: TestData.ecSigningKey())
        #expect(try verifier.verify(rsaToken, now: TestData.now) == TestData.claims)
        #expect(try verifier.verify(ecToken, now: TestData.now) == TestData.claims)
    }

    @Test func oneVerifierServesAllThreeAlgorithms() throws {
        let verifier = try JWTVerifier(keys: [
            .hs256(secret: TestData.secret), .publicKey(pem: Fixtures.rsaPublic), .publicKey(pem: Fixtures.ecPublic),
        ])
        let tokens = [
            JWTSigner.hs256(claims: TestData.claims, secret: TestData.secret),
            try JWTSigner.sign(claims: TestData.claims, key: TestData.rsaSigningKey()),
            try JWTSigner.sign(claims: TestData.claims, key: TestData.ecSigningKey()),
        ]
        for token in tokens {
            #expect(try verifier.verify(token, now: TestData.now) == TestData.claims)
        }
    }

    @Test func stringSecretIsItsUTF8Bytes() throws {
        let verifier = try JWTVerifier(keys: [.hs256(secret: "0123456789abcdef0123456789abcdef")])
        #expect(
            try verifier.verify(JWTSigner.hs256(claims: TestData.claims, secret: TestData.secret), now: TestData.now)
                == TestData.claims)
    }

    @Test func singleAudienceIsWrittenAsAString() throws {
        let claims = JWTClaims(subject: "u", expiresAt: TestData.now + 60, audience: ["hubbub"])
        let token = JWTSigner.hs256(claims: claims, secret: TestData.secret)
        #expect(TestData.segmentBytes(1, of: token) == Array(#"{"sub":"u","aud":"hubbub","exp":1700000060}"#.utf8))
        #expect(try TestData.hsVerifier(audience: "hubbub").verify(token, now: TestData.now) == claims)
    }

    @Test func verifierIsSharedSafelyAcrossTasks() async throws {
        let verifier = try JWTVerifier(keys: [
            .hs256(secret: TestData.secret), .publicKey(pem: Fixtures.rsaPublic), .publicKey(pem: Fixtures.ecPublic),
        ])
        let tokens = [
            JWTSigner.hs256(claims: TestData.claims, secret: TestData.secret),
            try JWTSigner.sign(claims: TestData.claims, key: TestData.rsaSigningKey()),
            try JWTSigner.sign(claims: TestData.claims, key: TestData.ecSigningKey()),
        ]
        let verified = await withTaskGroup(of: Int.self) { group in
            for worker in 0..<8 {
                group.addTask {
                    var count = 0
                    for round in 0..<60 {
                        let token = tokens[(worker + round) % tokens.count]
                        if (try? verifier.verify(token, now: TestData.now)) == TestData.claims { count += 1 }
                    }
                    return count
                }
            }
            return await group.reduce(0, +)
        }
        #expect(verified == 8 * 60)
    }
}
