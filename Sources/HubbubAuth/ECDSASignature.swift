/// Converts ES256 signatures between the JWS form, the 64-byte `R || S` of RFC 7518
/// section 3.4, and the DER `ECDSA-Sig-Value` (`SEQUENCE { INTEGER r, INTEGER s }`)
/// that OpenSSL signs and verifies.
enum ECDSASignature {
    /// The byte length of R and of S on P-256.
    static let coordinateLength = 32

    /// The DER form of a raw `R || S`, or nil unless `raw` is exactly 64 bytes.
    static func der(fromRaw raw: [UInt8]) -> [UInt8]? {
        guard raw.count == 2 * coordinateLength else { return nil }
        let r = derInteger(raw[0..<coordinateLength])
        let s = derInteger(raw[coordinateLength...])
        // At most 2 * (2 + 33) = 70 content bytes: the short length form suffices.
        return [0x30, UInt8(r.count + s.count)] + r + s
    }

    /// The raw `R || S` form of a DER signature, or nil when `der` is not a single
    /// well-formed sequence of two non-negative integers that fit in 32 bytes.
    static func raw(fromDER der: [UInt8]) -> [UInt8]? {
        guard der.count >= 2, der[0] == 0x30, der[1] < 0x80, Int(der[1]) == der.count - 2 else { return nil }
        var index = 2
        guard let r = readInteger(der, &index), let s = readInteger(der, &index), index == der.count else {
            return nil
        }
        return r + s
    }

    /// A DER INTEGER holding the unsigned big-endian `magnitude`.
    private static func derInteger(_ magnitude: ArraySlice<UInt8>) -> [UInt8] {
        var content = Array(magnitude.drop { $0 == 0 })
        if content.isEmpty || content[0] >= 0x80 {
            content.insert(0, at: 0)
        }
        return [0x02, UInt8(content.count)] + content
    }

    /// Reads one INTEGER at `index` and returns it left-padded to 32 bytes.
    private static func readInteger(_ der: [UInt8], _ index: inout Int) -> [UInt8]? {
        guard der.count - index >= 2, der[index] == 0x02 else { return nil }
        let length = Int(der[index + 1])
        guard length >= 1, length < 0x80, der.count - index - 2 >= length else { return nil }
        let content = der[(index + 2)..<(index + 2 + length)]
        guard content.first! < 0x80 else { return nil }  // negative
        index += 2 + length
        let magnitude = content.drop { $0 == 0 }
        guard magnitude.count <= coordinateLength else { return nil }
        return [UInt8](repeating: 0, count: coordinateLength - magnitude.count) + magnitude
    }
}
