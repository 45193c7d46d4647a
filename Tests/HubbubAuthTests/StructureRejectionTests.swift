import HubbubAuth
import Testing

/// Tokens that are not three canonical base64url segments around a JSON-object header,
/// or that are too long, are rejected before any key is touched.
@Suite struct StructureRejectionTests {
    private let valid = JWTSigner.hs256(claims: TestData.claims, secret: TestData.secret)

    @Test func validTokenIsAccepted() throws {
        // The control for every rejection below.
        #expect(try TestData.hsVerifier().verify(valid, now: TestData.now) == TestData.claims)
    }

    @Test func twoSegmentsAreMalformed() throws {
        let parts = valid.split(separator: ".")
        expectRejection(.malformed, "\(parts[0]).\(parts[1])", by: try TestData.hsVerifier())
    }

    @Test func fourOrFiveSegmentsAreMalformed() throws {
        expectRejection(.malformed, valid + ".", by: try TestData.hsVerifier())
        expectRejection(.malformed, valid + ".AAAA", by: try TestData.hsVerifier())
        expectRejection(.malformed, valid + ".AAAA.AAAA", by: try TestData.hsVerifier())
    }

    @Test(arguments: ["", ".", "..", "...", "abc", "a.b"])
    func degenerateTokensAreMalformed(token: String) throws {
        expectRejection(.malformed, token, by: try TestData.hsVerifier())
    }

    @Test(arguments: [0, 1, 2])
    func paddingInAnySegmentIsMalformed(segment: Int) throws {
        // Header (25 bytes), payload (28) and signature (32) all need `=` padding in
        // padded base64. A padded segment is refused before the signature is checked,
        // so the error is `malformed`, not `badSignature`.
        let token = TestData.hs256(header: #"{"alg":"HS256","kid":"k"}"#, payload: #"{"sub":"u","exp":1700003600}"#)
        #expect(try TestData.hsVerifier().verify(token, now: TestData.now).subject == "u")
        let part = token.split(separator: ".").map(String.init)[segment]
        let padding = (4 - part.utf8.count % 4) % 4
        #expect(padding > 0)
        let padded = TestData.replacingSegment(segment, of: token, with: part + String(repeating: "=", count: padding))
        expectRejection(.malformed, padded, by: try TestData.hsVerifier())
    }

    @Test(arguments: ["+", "/", " ", "\n", "=", "é", "*"])
    func charactersOutsideTheAlphabetAreMalformed(character: String) throws {
        for segment in 0..<3 {
            let parts = valid.split(separator: ".").map(String.init)
            let token = TestData.replacingSegment(segment, of: valid, with: character + parts[segment].dropFirst())
            expectRejection(.malformed, token, by: try TestData.hsVerifier())
        }
    }

    @Test func segmentLengthOfFourNPlusOneIsMalformed() throws {
        let parts = valid.split(separator: ".").map(String.init)
        expectRejection(
            .malformed, TestData.replacingSegment(2, of: valid, with: parts[2] + "AA"), by: try TestData.hsVerifier())
    }

    @Test func nonZeroTrailingBitsAreMalformed() throws {
        // 43 characters carry 258 bits for a 256-bit MAC: the last character's two low
        // bits are unused and must be zero, or two spellings would verify.
        let signature = TestData.segmentBytes(2, of: valid)
        let canonical = Base64URL.encode(signature)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")
        let last = try #require(alphabet.firstIndex(of: canonical.last!))
        #expect(last & 0x03 == 0)
        let variant = String(canonical.dropLast()) + String(alphabet[last | 0x01])
        #expect(Base64URL.decode(variant) == nil)
        expectRejection(
            .malformed, TestData.replacingSegment(2, of: valid, with: variant), by: try TestData.hsVerifier())
    }

    @Test func garbageBase64IsMalformed() throws {
        expectRejection(.malformed, "!!!!.####.$$$$", by: try TestData.hsVerifier())
        expectRejection(.malformed, TestData.replacingSegment(1, of: valid, with: "%%%"), by: try TestData.hsVerifier())
    }

    @Test(arguments: ["[]", #"["alg","HS256"]"#, #""HS256""#, "1", "null", "true", "", " "])
    func headerThatIsNotAnObjectIsMalformed(header: String) throws {
        expectRejection(
            .malformed, TestData.hs256(header: header, payload: #"{"sub":"u","exp":1700003600}"#),
            by: try TestData.hsVerifier())
    }

    @Test(arguments: [
        #"{"alg":"HS256""#,  // truncated
        #"{"alg":"HS256"} x"#,  // trailing data
        #"{"alg":"HS256",}"#,  // trailing comma
        #"{'alg':'HS256'}"#,  // single quotes
        #"{"alg":"HS256" /* c */}"#,  // comment
        #"{"alg":"HS256","alg":"HS256"}"#,  // duplicate member, even with equal values
        #"{"typ":"JWT"}"#,  // no alg
        #"{"alg":null}"#,  // alg not a string
        #"{"alg":["HS256"]}"#,
        #"{"alg":"HS256","typ":"JWS"}"#,  // typ other than JWT
        #"{"alg":"HS256","typ":1}"#,
        #"{"alg":"HS256","kid":7}"#,  // kid not a string
        #"{"alg":"HS256","crit":["exp"],"exp":1}"#,  // an extension Hubbub does not understand
        #"{"alg":"HS256","crit":[]}"#,
    ])
    func invalidHeaderIsMalformed(header: String) throws {
        expectRejection(
            .malformed, TestData.hs256(header: header, payload: #"{"sub":"u","exp":1700003600}"#),
            by: try TestData.hsVerifier())
    }

    @Test(arguments: [
        #"{"alg":"HS256","typ":"jwt"}"#, #"{"alg":"HS256","typ":"application/JWT"}"#, #" { "alg" : "HS256" } "#,
    ])
    func acceptedHeaderVariants(header: String) throws {
        let token = TestData.hs256(header: header, payload: #"{"sub":"u","exp":1700003600}"#)
        #expect(try TestData.hsVerifier().verify(token, now: TestData.now).subject == "u")
    }

    @Test func tooLargeIsCheckedFirst() throws {
        let huge = String(repeating: "A", count: JWTVerifier.Configuration.defaultMaxTokenLength + 1)
        expectRejection(.tooLarge, huge, by: try TestData.hsVerifier())
        expectRejection(.malformed, String(huge.dropFirst()), by: try TestData.hsVerifier())
    }

    @Test func lengthLimitIsInclusiveAndConfigurable() throws {
        let length = valid.utf8.count
        let atLimit = try JWTVerifier(keys: [.hs256(secret: TestData.secret)], maxTokenLength: length)
        #expect(try atLimit.verify(valid, now: TestData.now) == TestData.claims)
        let belowLimit = try JWTVerifier(keys: [.hs256(secret: TestData.secret)], maxTokenLength: length - 1)
        expectRejection(.tooLarge, valid, by: belowLimit)
    }

    @Test func largeButAllowedTokenVerifies() throws {
        let token = JWTSigner.hs256(
            claims: TestData.claims, secret: TestData.secret, extra: ["blob": String(repeating: "x", count: 5000)])
        #expect(token.utf8.count > 6000 && token.utf8.count <= 8192)
        #expect(try TestData.hsVerifier().verify(token, now: TestData.now) == TestData.claims)
    }
}
