import HubbubAuth
import Testing

/// The payload is read only after its signature verified; these tokens are all
/// properly signed, so each error is about the claims alone.
@Suite struct ClaimTests {
    private func verify(_ payload: String, verifier: JWTVerifier? = nil) throws -> JWTClaims {
        try (verifier ?? TestData.hsVerifier()).verify(TestData.hs256(payload: payload), now: TestData.now)
    }

    private func expectClaimError(
        _ error: JWTError, _ payload: String, verifier: JWTVerifier? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) throws {
        expectRejection(
            error, TestData.hs256(payload: payload), by: try verifier ?? TestData.hsVerifier(),
            sourceLocation: sourceLocation)
    }

    @Test func allClaimsAreRead() throws {
        let claims = try verify(
            #"{"sub":"u1","name":"Ann","exp":1700003600,"iat":1699999990,"nbf":1699999990,"iss":"me","aud":["a","b"],"x":{"y":[1,2,{"z":null}]}}"#
        )
        #expect(
            claims
                == JWTClaims(
                    subject: "u1", name: "Ann", expiresAt: 1_700_003_600, issuedAt: 1_699_999_990,
                    notBefore: 1_699_999_990, issuer: "me", audience: ["a", "b"]))
    }

    @Test func escapedStringsAreDecoded() throws {
        let claims = try verify(#"{"sub":"\u00e9\ud83d\ude00\n\"\/","name":"caf\u00E9","exp":1700003600}"#)
        #expect(claims.subject == "é😀\n\"/")
        #expect(claims.name == "café")
    }

    // MARK: sub

    @Test func missingSubject() throws {
        try expectClaimError(.missingClaim("sub"), #"{"exp":1700003600}"#)
        // `sub` is looked at before `exp`.
        try expectClaimError(.missingClaim("sub"), #"{}"#)
    }

    @Test(arguments: [#""""#, "1", "null", "true", #"["u"]"#, #"{"id":"u"}"#])
    func invalidSubject(value: String) throws {
        try expectClaimError(.invalidClaim("sub"), #"{"sub":\#(value),"exp":1700003600}"#)
    }

    // MARK: exp, nbf, iat

    @Test func missingExpiry() throws {
        try expectClaimError(.missingClaim("exp"), #"{"sub":"u"}"#)
    }

    @Test(arguments: [
        #""1700003600""#, "null", "true", "[1700003600]", "{}", "1e30", "-1e30", "99999999999999999999",
        "1e400",
    ])
    func nonNumericOrOutOfRangeExpiry(value: String) throws {
        try expectClaimError(.invalidClaim("exp"), #"{"sub":"u","exp":\#(value)}"#)
    }

    @Test func fractionalAndExponentExpiry() throws {
        #expect(try verify(#"{"sub":"u","exp":1700003600.9}"#).expiresAt == 1_700_003_600)
        #expect(try verify(#"{"sub":"u","exp":1.7000036e9}"#).expiresAt == 1_700_003_600)
        #expect(try verify(#"{"sub":"u","exp":9223372036854775807}"#).expiresAt == Int64.max)
        // Rounded down, so 30.9 seconds past is as expired as 30.
        let verifier = try TestData.hsVerifier()
        try expectClaimError(.expired, #"{"sub":"u","exp":1699999970.9}"#, verifier: verifier)
    }

    @Test(arguments: ["nbf", "iat"])
    func nonNumericOptionalDates(name: String) throws {
        try expectClaimError(.invalidClaim(name), #"{"sub":"u","exp":1700003600,"\#(name)":"1699999990"}"#)
        try expectClaimError(.invalidClaim(name), #"{"sub":"u","exp":1700003600,"\#(name)":null}"#)
    }

    @Test func notBeforeRoundsUp() throws {
        // 60 s skew: nbf 1700000059.5 becomes ...060, just allowed; ...060.5 becomes ...061.
        #expect(try verify(#"{"sub":"u","exp":1700003600,"nbf":1700000059.5}"#).notBefore == 1_700_000_060)
        try expectClaimError(.notYetValid, #"{"sub":"u","exp":1700003600,"nbf":1700000060.5}"#)
    }

    @Test func issuedAtFarInTheFutureIsRefused() throws {
        #expect(try verify(#"{"sub":"u","exp":1700003600,"iat":1700000060}"#).issuedAt == 1_700_000_060)
        try expectClaimError(.notYetValid, #"{"sub":"u","exp":1700003600,"iat":1800000000}"#)
    }

    // MARK: iss, aud, name

    @Test(arguments: ["iss", "name"])
    func nonStringOptionalClaims(name: String) throws {
        try expectClaimError(.invalidClaim(name), #"{"sub":"u","exp":1700003600,"\#(name)":1}"#)
    }

    @Test(arguments: ["1", "null", #"{"a":1}"#, #"["a",1]"#, #"[["a"]]"#])
    func invalidAudience(value: String) throws {
        try expectClaimError(.invalidClaim("aud"), #"{"sub":"u","exp":1700003600,"aud":\#(value)}"#)
    }

    @Test func audienceIsIgnoredUnlessRequired() throws {
        #expect(try verify(#"{"sub":"u","exp":1700003600,"aud":"someone-else"}"#).audience == ["someone-else"])
        #expect(try verify(#"{"sub":"u","exp":1700003600,"aud":[]}"#).audience == [])
    }

    @Test func requiredIssuer() throws {
        let verifier = try TestData.hsVerifier(issuer: "https://auth.example.com")
        #expect(
            try verify(#"{"sub":"u","exp":1700003600,"iss":"https://auth.example.com"}"#, verifier: verifier).issuer
                != nil)
        try expectClaimError(.missingClaim("iss"), #"{"sub":"u","exp":1700003600}"#, verifier: verifier)
        try expectClaimError(
            .invalidClaim("iss"), #"{"sub":"u","exp":1700003600,"iss":"https://evil.example.com"}"#, verifier: verifier)
        try expectClaimError(
            .invalidClaim("iss"), #"{"sub":"u","exp":1700003600,"iss":"https://AUTH.example.com"}"#, verifier: verifier)
    }

    @Test func requiredAudience() throws {
        let verifier = try TestData.hsVerifier(audience: "hubbub")
        #expect(try verify(#"{"sub":"u","exp":1700003600,"aud":"hubbub"}"#, verifier: verifier).audience == ["hubbub"])
        #expect(
            try verify(#"{"sub":"u","exp":1700003600,"aud":["x","hubbub"]}"#, verifier: verifier).audience == [
                "x", "hubbub",
            ])
        try expectClaimError(.missingClaim("aud"), #"{"sub":"u","exp":1700003600}"#, verifier: verifier)
        try expectClaimError(.missingClaim("aud"), #"{"sub":"u","exp":1700003600,"aud":[]}"#, verifier: verifier)
        try expectClaimError(.invalidClaim("aud"), #"{"sub":"u","exp":1700003600,"aud":"hubbub2"}"#, verifier: verifier)
        try expectClaimError(.invalidClaim("aud"), #"{"sub":"u","exp":1700003600,"aud":["a","b"]}"#, verifier: verifier)
    }

    // MARK: The payload itself

    @Test(arguments: [
        "[]", #""sub""#, "1", "null", "", #"{"sub":"u","exp":1700003600"#, #"{"sub":"u","exp":1700003600}{}"#,
        #"{"sub":"u","exp":1700003600,"sub":"admin"}"#,  // duplicate claim
        #"{"sub":"\ud800","exp":1700003600}"#,  // lone surrogate
        #"{"sub":"u","exp":01700003600}"#,  // leading zero
        #"{"sub":"u","exp":NaN}"#,
    ])
    func payloadThatIsNotAJSONObjectIsMalformed(payload: String) throws {
        try expectClaimError(.malformed, payload)
    }

    @Test func deeplyNestedPayloadIsMalformed() throws {
        let nest = { (depth: Int) in
            #"{"sub":"u","exp":1700003600,"x":"# + String(repeating: "[", count: depth)
                + String(repeating: "]", count: depth) + "}"
        }
        // The payload object is level 1; 31 more arrays reach the limit of 32.
        #expect(try verify(nest(31)).subject == "u")
        try expectClaimError(.malformed, nest(32))
    }
}
