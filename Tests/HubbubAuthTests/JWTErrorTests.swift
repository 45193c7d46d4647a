import HubbubAuth
import Testing

@Suite struct JWTErrorTests {
    @Test func descriptionsAndCodes() {
        let expected: [(JWTError, JWTError.Code, String)] = [
            (.malformed, .malformed, "malformed token"),
            (.tooLarge, .tooLarge, "token too large"),
            (.unsupportedAlgorithm, .unsupportedAlgorithm, "unsupported token algorithm"),
            (.algorithmMismatch, .algorithmMismatch, "token algorithm does not match the key"),
            (.unknownKey, .unknownKey, "unknown key id"),
            (.badSignature, .badSignature, "invalid token signature"),
            (.expired, .expired, "token expired"),
            (.notYetValid, .notYetValid, "token not yet valid"),
            (.missingClaim("sub"), .missingClaim, "missing claim 'sub'"),
            (.invalidClaim("exp"), .invalidClaim, "invalid claim 'exp'"),
            (.keyError("bad"), .keyError, "key error: bad"),
            (.invalidConfiguration("bad"), .invalidConfiguration, "invalid JWT configuration: bad"),
        ]
        for (error, code, description) in expected {
            #expect(error.code == code)
            #expect(error.description == description)
        }
        #expect(Set(expected.map(\.1)) == Set(JWTError.Code.allCases))
    }

    @Test func payloadsDistinguishErrors() {
        #expect(JWTError.missingClaim("sub") != .missingClaim("exp"))
        #expect(JWTError.missingClaim("sub") != .invalidClaim("sub"))
        #expect(JWTError.keyError("a") != .invalidConfiguration("a"))
        #expect(JWTError.expired != .notYetValid)
    }

    @Test func descriptionsNeverEchoTheToken() throws {
        // Tokens carrying a marker in each place, each failing in a different way.
        let marker = "MARKER1234"
        let markerB64 = Base64URL.encode(Array(marker.utf8))
        let tokens = [
            TestData.hs256(header: #"{"alg":"\#(marker)"}"#, payload: "{}"),
            TestData.hs256(header: #"{"alg":"HS256","kid":"\#(marker)"}"#, payload: #"{"sub":"\#(marker)","exp":1}"#),
            TestData.hs256(payload: #"{"sub":"\#(marker)","exp":"\#(marker)"}"#),
            TestData.hs256(payload: #"{"sub":"\#(marker)","exp":1700003600,"aud":"\#(marker)"}"#),
            "\(markerB64).\(markerB64).\(markerB64)",
            String(repeating: marker, count: 1000),
        ]
        let verifier = try JWTVerifier(
            keys: [.hs256(secret: TestData.secret), .publicKey(pem: Fixtures.ecPublic, kid: "ec")], audience: "hubbub")
        var codes: Set<JWTError.Code> = []
        for token in tokens {
            do {
                _ = try verifier.verify(token, now: TestData.now)
                Issue.record("accepted \(token)")
            } catch {
                codes.insert(error.code)
                #expect(!error.description.contains(marker))
                #expect(!error.description.contains(markerB64))
            }
        }
        #expect(codes == [.unsupportedAlgorithm, .expired, .invalidClaim, .malformed, .tooLarge])
    }
}
