import HubbubAuth
import Testing

/// `exp <= now - expiryLeeway` (0 by default) is expired; `nbf > now + skew` and
/// `iat > now + skew` are not yet valid.
@Suite struct TimeTests {
    private func token(exp: Int64, nbf: Int64? = nil) -> String {
        JWTSigner.hs256(claims: JWTClaims(subject: "u", expiresAt: exp, notBefore: nbf), secret: TestData.secret)
    }

    @Test func expiryHasNoLeewayByDefault() throws {
        let verifier = try TestData.hsVerifier()
        #expect(JWTVerifier.Configuration.defaultClockSkew == 60)
        expectRejection(.expired, token(exp: TestData.now), by: verifier)
        expectRejection(.expired, token(exp: TestData.now - 5), by: verifier)
        expectRejection(.expired, token(exp: TestData.now - 3600), by: verifier)
        #expect(try verifier.verify(token(exp: TestData.now + 1), now: TestData.now).expiresAt == TestData.now + 1)
    }

    @Test func expiryLeewayIsConfigurable() throws {
        var configuration = JWTVerifier.Configuration(keys: [try .hs256(secret: TestData.secret)])
        configuration.expiryLeeway = 30
        let verifier = try JWTVerifier(configuration: configuration)
        #expect(try verifier.verify(token(exp: TestData.now - 29), now: TestData.now).expiresAt == TestData.now - 29)
        expectRejection(.expired, token(exp: TestData.now - 30), by: verifier)
    }

    @Test func issuedInTheFutureBeyondTheSkewIsRefused() throws {
        let verifier = try TestData.hsVerifier()
        let soon = JWTSigner.hs256(
            claims: JWTClaims(subject: "u", expiresAt: TestData.now + 3600, issuedAt: TestData.now + 60), secret: TestData.secret)
        #expect(try verifier.verify(soon, now: TestData.now).subject == "u")
        let later = JWTSigner.hs256(
            claims: JWTClaims(subject: "u", expiresAt: TestData.now + 3600, issuedAt: TestData.now + 61), secret: TestData.secret)
        expectRejection(.notYetValid, later, by: verifier)
    }

    @Test func expiryBoundaryWithoutSkew() throws {
        let verifier = try TestData.hsVerifier(clockSkew: 0)
        expectRejection(.expired, token(exp: TestData.now), by: verifier)
        #expect(try verifier.verify(token(exp: TestData.now + 1), now: TestData.now).expiresAt == TestData.now + 1)
    }

    @Test func sameTokenExpiresAsTimePasses() throws {
        let verifier = try TestData.hsVerifier(clockSkew: 10)
        let expiring = token(exp: TestData.now + 100)
        #expect(try verifier.verify(expiring, now: TestData.now + 99).subject == "u")
        expectRejection(.expired, expiring, by: verifier, now: TestData.now + 100)
    }

    @Test func notBeforeBoundaryWithDefaultSkew() throws {
        let verifier = try TestData.hsVerifier()
        #expect(
            try verifier.verify(token(exp: TestData.now + 3600, nbf: TestData.now + 30), now: TestData.now).notBefore
                == TestData.now + 30)
        #expect(
            try verifier.verify(token(exp: TestData.now + 3600, nbf: TestData.now + 60), now: TestData.now).notBefore
                == TestData.now + 60)
        expectRejection(.notYetValid, token(exp: TestData.now + 3600, nbf: TestData.now + 61), by: verifier)
        expectRejection(.notYetValid, token(exp: TestData.now + 3600, nbf: TestData.now + 3000), by: verifier)
    }

    @Test func notBeforeBoundaryWithoutSkew() throws {
        let verifier = try TestData.hsVerifier(clockSkew: 0)
        #expect(
            try verifier.verify(token(exp: TestData.now + 3600, nbf: TestData.now), now: TestData.now).notBefore
                == TestData.now)
        expectRejection(.notYetValid, token(exp: TestData.now + 3600, nbf: TestData.now + 1), by: verifier)
    }

    @Test func expiryIsReportedBeforeNotBefore() throws {
        expectRejection(
            .expired, token(exp: TestData.now - 100, nbf: TestData.now + 100), by: try TestData.hsVerifier())
    }

    @Test func extremeTimesDoNotOverflow() throws {
        let verifier = try TestData.hsVerifier()
        // With no expiry leeway, exp == now is expired even at the very bottom of the range.
        expectRejection(.expired, token(exp: Int64.min), by: verifier, now: Int64.min)
        // now + skew overflows: nothing can be after it.
        #expect(try verifier.verify(token(exp: Int64.max, nbf: Int64.max), now: Int64.max - 1).notBefore == Int64.max)
        expectRejection(.expired, token(exp: Int64.min), by: verifier, now: 0)
        expectRejection(.notYetValid, token(exp: Int64.max, nbf: Int64.max), by: verifier, now: 0)
    }
}
