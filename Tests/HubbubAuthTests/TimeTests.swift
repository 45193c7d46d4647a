import HubbubAuth
import Testing

/// `exp <= now - skew` is expired; `nbf > now + skew` is not yet valid.
@Suite struct TimeTests {
    private func token(exp: Int64, nbf: Int64? = nil) -> String {
        JWTSigner.hs256(claims: JWTClaims(subject: "u", expiresAt: exp, notBefore: nbf), secret: TestData.secret)
    }

    @Test func expiryBoundaryWithDefaultSkew() throws {
        let verifier = try TestData.hsVerifier()
        #expect(JWTVerifier.Configuration.defaultClockSkew == 30)
        expectRejection(.expired, token(exp: TestData.now - 30), by: verifier)
        expectRejection(.expired, token(exp: TestData.now - 3600), by: verifier)
        #expect(try verifier.verify(token(exp: TestData.now - 29), now: TestData.now).expiresAt == TestData.now - 29)
        #expect(try verifier.verify(token(exp: TestData.now), now: TestData.now).expiresAt == TestData.now)
    }

    @Test func expiryBoundaryWithoutSkew() throws {
        let verifier = try TestData.hsVerifier(clockSkew: 0)
        expectRejection(.expired, token(exp: TestData.now), by: verifier)
        #expect(try verifier.verify(token(exp: TestData.now + 1), now: TestData.now).expiresAt == TestData.now + 1)
    }

    @Test func sameTokenExpiresAsTimePasses() throws {
        let verifier = try TestData.hsVerifier(clockSkew: 10)
        let expiring = token(exp: TestData.now + 100)
        #expect(try verifier.verify(expiring, now: TestData.now + 109).subject == "u")
        expectRejection(.expired, expiring, by: verifier, now: TestData.now + 110)
    }

    @Test func notBeforeBoundaryWithDefaultSkew() throws {
        let verifier = try TestData.hsVerifier()
        #expect(
            try verifier.verify(token(exp: TestData.now + 3600, nbf: TestData.now + 30), now: TestData.now).notBefore
                == TestData.now + 30)
        expectRejection(.notYetValid, token(exp: TestData.now + 3600, nbf: TestData.now + 31), by: verifier)
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
        // now - skew underflows: nothing can be at or before it.
        #expect(try verifier.verify(token(exp: Int64.min), now: Int64.min).expiresAt == Int64.min)
        // now + skew overflows: nothing can be after it.
        #expect(try verifier.verify(token(exp: Int64.max, nbf: Int64.max), now: Int64.max).notBefore == Int64.max)
        expectRejection(.expired, token(exp: Int64.min), by: verifier, now: 0)
        expectRejection(.notYetValid, token(exp: Int64.max, nbf: Int64.max), by: verifier, now: 0)
    }
}
