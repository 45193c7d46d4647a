import HubbubAuth
import Testing

@Suite struct Base64URLTests {
    /// RFC 4648 section 10, without the padding.
    @Test(arguments: [
        ("", ""), ("f", "Zg"), ("fo", "Zm8"), ("foo", "Zm9v"), ("foob", "Zm9vYg"), ("fooba", "Zm9vYmE"),
        ("foobar", "Zm9vYmFy"),
    ])
    func rfc4648Vectors(plain: String, encoded: String) {
        #expect(Base64URL.encode(Array(plain.utf8)) == encoded)
        #expect(Base64URL.decode(encoded) == Array(plain.utf8))
    }

    @Test func urlSafeAlphabet() {
        #expect(Base64URL.encode([0xFB, 0xFF]) == "-_8")
        #expect(Base64URL.encode([0xFB, 0xFF, 0xBF]) == "-_-_")
        #expect(Base64URL.decode("-_-_") == [0xFB, 0xFF, 0xBF])
    }

    @Test func allByteValuesAndLengthsRoundTrip() {
        let bytes = (0..<256).map { UInt8($0) }
        for length in 0...bytes.count {
            let slice = Array(bytes.prefix(length))
            #expect(Base64URL.decode(Base64URL.encode(slice)) == slice)
        }
    }

    @Test(arguments: [
        "Zg==", "Zg=", "Zm8=", "Z", "Zm9vY", "+/8", "Zm9v Yg", "Zm9v\n", "Zm9vYg\0", "Zh", "Zm9", "Zm9vYmF",
        "é", "Zm9v=Yg",
    ])
    func nonCanonicalOrInvalidIsRejected(text: String) {
        #expect(Base64URL.decode(text) == nil)
    }

    @Test func substringOverload() {
        let text = "xx.Zm9v.yy"
        let middle = text.split(separator: ".")[1]
        #expect(Base64URL.decode(middle) == Array("foo".utf8))
    }
}
