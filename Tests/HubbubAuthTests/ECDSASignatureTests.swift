import Testing

@testable import HubbubAuth

@Suite struct ECDSASignatureTests {
    private func half(_ first: UInt8, fill: UInt8 = 0x11) -> [UInt8] {
        [first] + [UInt8](repeating: fill, count: 31)
    }

    @Test func highBitGetsASignByte() throws {
        let raw = half(0x80) + half(0x7F)
        let der = try #require(ECDSASignature.der(fromRaw: raw))
        #expect(der == [0x30, 69, 0x02, 33, 0x00] + half(0x80) + [0x02, 32] + half(0x7F))
        #expect(ECDSASignature.raw(fromDER: der) == raw)
    }

    @Test func leadingZerosAreStrippedAndRestored() throws {
        let r = [UInt8](repeating: 0, count: 31) + [0x05]
        let s = [0x00, 0x00, 0x90] + [UInt8](repeating: 0x22, count: 29)
        let der = try #require(ECDSASignature.der(fromRaw: r + s))
        #expect(der == [0x30, 36, 0x02, 1, 0x05, 0x02, 31, 0x00, 0x90] + [UInt8](repeating: 0x22, count: 29))
        #expect(ECDSASignature.raw(fromDER: der) == r + s)
    }

    @Test func zeroIsEncodedAsOneByte() throws {
        let der = try #require(ECDSASignature.der(fromRaw: [UInt8](repeating: 0, count: 64)))
        #expect(der == [0x30, 6, 0x02, 1, 0x00, 0x02, 1, 0x00])
        #expect(ECDSASignature.raw(fromDER: der) == [UInt8](repeating: 0, count: 64))
    }

    @Test(arguments: [0, 1, 63, 65, 128])
    func wrongRawLengthIsRejected(length: Int) {
        #expect(ECDSASignature.der(fromRaw: [UInt8](repeating: 1, count: length)) == nil)
    }

    @Test(arguments: [
        [UInt8](),
        [0x30],
        [0x31, 6, 0x02, 1, 0x01, 0x02, 1, 0x01],  // not a SEQUENCE
        [0x30, 7, 0x02, 1, 0x01, 0x02, 1, 0x01],  // length too long
        [0x30, 6, 0x02, 1, 0x01, 0x02, 1, 0x01, 0x00],  // trailing byte
        [0x30, 6, 0x02, 1, 0x81, 0x02, 1, 0x01],  // negative
        [0x30, 6, 0x04, 1, 0x01, 0x02, 1, 0x01],  // not an INTEGER
        [0x30, 3, 0x02, 1, 0x01],  // one integer
        [0x30, 6, 0x02, 0, 0x02, 2, 0x01, 0x01],  // empty integer
        [0x30, 37, 0x02, 33, 0x01] + [UInt8](repeating: 0, count: 32) + [0x02, 1, 0x01],  // 33 significant bytes
    ])
    func malformedDERIsRejected(der: [UInt8]) {
        #expect(ECDSASignature.raw(fromDER: der) == nil)
    }
}
