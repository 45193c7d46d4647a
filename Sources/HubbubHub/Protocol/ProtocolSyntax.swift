/// The lexical forms of protocol fields (protocol/schemas/common.json), checked
/// byte by byte without regular expressions.
enum ProtocolSyntax {
    /// `command_id`: `^[\x21-\x7E]{1,64}$`, 1-64 visible ASCII characters.
    static func isCommandID(_ text: String) -> Bool {
        let utf8 = text.utf8
        return (1...64).contains(utf8.count) && utf8.allSatisfy { (0x21...0x7E).contains($0) }
    }

    /// `entity_id` (rooms, cards, columns): `^[A-Za-z0-9][A-Za-z0-9._:-]{0,63}$`.
    static func isEntityID(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard let first = utf8.first, (1...64).contains(utf8.count), isASCIIAlphanumeric(first) else { return false }
        return utf8.allSatisfy { isASCIIAlphanumeric($0) || isPunctuation($0) }
    }

    /// `ephemeral_key`: `^[a-z0-9_.:-]{1,64}$`.
    static func isEphemeralKey(_ text: String) -> Bool {
        let utf8 = text.utf8
        guard (1...64).contains(utf8.count) else { return false }
        return utf8.allSatisfy {
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                || isPunctuation($0)
        }
    }

    /// True when `text` has no character other than Unicode white space
    /// (property White_Space, which includes line breaks); true for "".
    static func isBlank(_ text: String) -> Bool {
        text.unicodeScalars.allSatisfy { $0.properties.isWhitespace }
    }

    static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// `.`, `_`, `:` and `-`: the punctuation ids and keys may hold.
    private static func isPunctuation(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "-")
    }
}
