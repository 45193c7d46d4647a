/// Generates UUIDs of version 7 (RFC 9562): 48 bits of unix milliseconds, then random
/// bits, in canonical lowercase form. Ids made later sort later (to the millisecond).
public enum UUIDv7 {
    public static func make(unixMillis: Int64) -> String {
        var generator = SystemRandomNumberGenerator()
        var bytes = [UInt8](repeating: 0, count: 16)
        let ms = UInt64(bitPattern: unixMillis) & 0xFFFF_FFFF_FFFF
        for i in 0..<6 {
            bytes[i] = UInt8(truncatingIfNeeded: ms >> (8 * (5 - i)))
        }
        let r1 = generator.next() as UInt64
        let r2 = generator.next() as UInt64
        for i in 6..<8 { bytes[i] = UInt8(truncatingIfNeeded: r1 >> (8 * i)) }
        for i in 8..<16 { bytes[i] = UInt8(truncatingIfNeeded: r2 >> (8 * (i - 8))) }
        bytes[6] = 0x70 | (bytes[6] & 0x0F)  // version 7
        bytes[8] = 0x80 | (bytes[8] & 0x3F)  // variant 10

        var out: [UInt8] = []
        out.reserveCapacity(36)
        for (i, byte) in bytes.enumerated() {
            if i == 4 || i == 6 || i == 8 || i == 10 { out.append(UInt8(ascii: "-")) }
            out.append(JSONBuffer.hexDigit(byte >> 4))
            out.append(JSONBuffer.hexDigit(byte & 0x0F))
        }
        return String(decoding: out, as: UTF8.self)
    }
}
