/// base64url without padding (RFC 4648 section 5, as JWS uses it: RFC 7515 section 2).
public enum Base64URL {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Maps a byte to its 6-bit value, or 0xFF when it is not in the alphabet.
    private static let sextets: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (value, char) in alphabet.enumerated() {
            table[Int(char)] = UInt8(value)
        }
        return table
    }()

    /// `bytes` in the URL-safe alphabet, without `=` padding.
    public static func encode(_ bytes: [UInt8]) -> String {
        String(decoding: encodeToBytes(bytes), as: UTF8.self)
    }

    /// The bytes `text` encodes, or nil unless it is canonical unpadded base64url: only
    /// `A-Z a-z 0-9 - _`, no `=`, no whitespace, a length that is not 1 more than a
    /// multiple of 4, and zero bits in the unused part of the last character.
    public static func decode(_ text: String) -> [UInt8]? {
        decode(bytes: Array(text.utf8)[...])
    }

    /// The bytes `text` encodes; as the `String` overload.
    public static func decode(_ text: Substring) -> [UInt8]? {
        decode(bytes: Array(text.utf8)[...])
    }

    static func encodeToBytes(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count * 4 + 2) / 3)
        var index = 0
        while index + 3 <= bytes.count {
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            out.append(alphabet[Int(group >> 18 & 0x3F)])
            out.append(alphabet[Int(group >> 12 & 0x3F)])
            out.append(alphabet[Int(group >> 6 & 0x3F)])
            out.append(alphabet[Int(group & 0x3F)])
            index += 3
        }
        switch bytes.count - index {
        case 1:
            let group = UInt32(bytes[index]) << 16
            out.append(alphabet[Int(group >> 18 & 0x3F)])
            out.append(alphabet[Int(group >> 12 & 0x3F)])
        case 2:
            let group = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8
            out.append(alphabet[Int(group >> 18 & 0x3F)])
            out.append(alphabet[Int(group >> 12 & 0x3F)])
            out.append(alphabet[Int(group >> 6 & 0x3F)])
        default:
            break
        }
        return out
    }

    /// The hot-path decoder: works on a slice of the token's bytes without copying it.
    static func decode(bytes input: ArraySlice<UInt8>) -> [UInt8]? {
        let remainder = input.count % 4
        guard remainder != 1 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 3 / 4)
        var index = input.startIndex
        let fullEnd = input.endIndex - remainder
        while index < fullEnd {
            guard let group = sextetGroup(input, at: index, count: 4) else { return nil }
            out.append(UInt8(truncatingIfNeeded: group >> 16))
            out.append(UInt8(truncatingIfNeeded: group >> 8))
            out.append(UInt8(truncatingIfNeeded: group))
            index += 4
        }
        switch remainder {
        case 2:
            // 12 bits: one byte plus 4 bits that must be zero.
            guard let group = sextetGroup(input, at: index, count: 2), group & 0x0F == 0 else { return nil }
            out.append(UInt8(truncatingIfNeeded: group >> 4))
        case 3:
            // 18 bits: two bytes plus 2 bits that must be zero.
            guard let group = sextetGroup(input, at: index, count: 3), group & 0x03 == 0 else { return nil }
            out.append(UInt8(truncatingIfNeeded: group >> 10))
            out.append(UInt8(truncatingIfNeeded: group >> 2))
        default:
            break
        }
        return out
    }

    /// `count` characters from `index` packed 6 bits each, or nil on a character
    /// outside the alphabet.
    private static func sextetGroup(_ input: ArraySlice<UInt8>, at index: Int, count: Int) -> UInt32? {
        var group: UInt32 = 0
        for offset in 0..<count {
            let value = sextets[Int(input[index + offset])]
            guard value != 0xFF else { return nil }
            group = group << 6 | UInt32(value)
        }
        return group
    }
}
