import Testing
@testable import HubbubHTTP

@Suite struct Base64Tests {
    /// RFC 4648 section 10.
    @Test(arguments: [
        ("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("fooba", "Zm9vYmE="),
        ("foobar", "Zm9vYmFy"),
    ])
    func testVectors(plain: String, encoded: String) {
        #expect(Base64.encode(bytes(plain)) == encoded)
        #expect(Base64.decode(encoded) == bytes(plain))
    }

    @Test func roundTripsAllByteValues() {
        let all = (0...255).map { UInt8($0) }
        for length in 0...all.count {
            let slice = Array(all[..<length])
            #expect(Base64.decode(Base64.encode(slice)) == slice)
        }
        #expect(Base64.encode([0xFB, 0xFF, 0xBF]) == "+/+/")
    }

    @Test(arguments: [
        "Zg=", "Zg", "Z", "Z===", "====", "Zm9v!A==", "Zh==", "Zm9=", "=Zg=", "Zg==Zg==", " Zg==", "Zm8 ", "Zm8\n",
        "Zm-_", "Zg=a",
    ])
    func rejectsInvalid(input: String) {
        #expect(Base64.decode(input) == nil)
    }
}
