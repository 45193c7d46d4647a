import HubbubWebSocket
import Testing

/// Builds and parses frames byte by byte, independently of the code under test, with the
/// plainest possible per-byte masking, so encoder and decoder are checked against a
/// separate implementation of RFC 6455 §5.2.
enum Wire {
    /// The mask key of the RFC 6455 §5.7 examples; what our test "clients" use.
    static let key: UInt32 = 0x37FA_213D
    /// The key the connection under test uses when it plays the client.
    static let connectionKey: UInt32 = 0x0102_0304

    enum LengthForm {
        case minimal, sixteenBit, sixtyFourBit
    }

    static func keyBytes(_ key: UInt32) -> [UInt8] {
        [UInt8(key >> 24), UInt8(key >> 16 & 0xFF), UInt8(key >> 8 & 0xFF), UInt8(key & 0xFF)]
    }

    static func mask(_ payload: [UInt8], key: UInt32) -> [UInt8] {
        let k = keyBytes(key)
        var out: [UInt8] = []
        for (index, byte) in payload.enumerated() { out.append(byte ^ k[index % 4]) }
        return out
    }

    /// A frame; masked with `Wire.key` unless `mask` is nil. `declaredLength` overrides the
    /// length field (to build lying or oversized headers).
    static func frame(
        _ opcode: UInt8,
        _ payload: [UInt8],
        fin: Bool = true,
        rsv: UInt8 = 0,
        mask: UInt32? = key,
        form: LengthForm = .minimal,
        declaredLength: UInt64? = nil
    ) -> [UInt8] {
        var out: [UInt8] = [(fin ? 0x80 : 0) | (rsv << 4) | opcode]
        let maskBit: UInt8 = mask == nil ? 0 : 0x80
        let length = declaredLength ?? UInt64(payload.count)
        var form = form
        if form == .minimal, length >= 126 { form = length <= 0xFFFF ? .sixteenBit : .sixtyFourBit }
        switch form {
        case .minimal:
            out.append(maskBit | UInt8(length))
        case .sixteenBit:
            out += [maskBit | 126, UInt8(length >> 8), UInt8(length & 0xFF)]
        case .sixtyFourBit:
            out.append(maskBit | 127)
            for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: length >> UInt64(shift))) }
        }
        if let mask {
            out += keyBytes(mask)
            out += Self.mask(payload, key: mask)
        } else {
            out += payload
        }
        return out
    }

    static func text(_ string: String, fin: Bool = true, mask: UInt32? = key) -> [UInt8] {
        frame(0x1, Array(string.utf8), fin: fin, mask: mask)
    }

    static func binary(_ payload: [UInt8], fin: Bool = true, mask: UInt32? = key) -> [UInt8] {
        frame(0x2, payload, fin: fin, mask: mask)
    }

    static func continuation(_ payload: [UInt8], fin: Bool, mask: UInt32? = key) -> [UInt8] {
        frame(0x0, payload, fin: fin, mask: mask)
    }

    static func ping(_ payload: [UInt8], mask: UInt32? = key) -> [UInt8] { frame(0x9, payload, mask: mask) }
    static func pong(_ payload: [UInt8], mask: UInt32? = key) -> [UInt8] { frame(0xA, payload, mask: mask) }

    static func closePayload(_ code: UInt16?, _ reason: [UInt8] = []) -> [UInt8] {
        guard let code else { return [] }
        return [UInt8(code >> 8), UInt8(code & 0xFF)] + reason
    }

    static func close(_ code: UInt16?, _ reason: [UInt8] = [], mask: UInt32? = key) -> [UInt8] {
        frame(0x8, closePayload(code, reason), mask: mask)
    }

    /// Parses one complete frame (header, optional mask, payload); nil if malformed or
    /// not exactly one frame.
    static func parse(_ bytes: [UInt8]) -> (fin: Bool, opcode: UInt8, masked: Bool, payload: [UInt8])? {
        guard bytes.count >= 2 else { return nil }
        var index = 2
        var length = Int(bytes[1] & 0x7F)
        if length == 126 {
            guard bytes.count >= 4 else { return nil }
            length = Int(bytes[2]) << 8 | Int(bytes[3])
            index = 4
        } else if length == 127 {
            guard bytes.count >= 10 else { return nil }
            length = 0
            for i in 2..<10 { length = length << 8 | Int(bytes[i]) }
            index = 10
        }
        let masked = bytes[1] & 0x80 != 0
        var key: [UInt8] = [0, 0, 0, 0]
        if masked {
            guard bytes.count >= index + 4 else { return nil }
            key = Array(bytes[index..<index + 4])
            index += 4
        }
        guard bytes.count == index + length else { return nil }
        var payload = Array(bytes[index...])
        for i in payload.indices { payload[i] ^= key[i % 4] }
        return (bytes[0] & 0x80 != 0, bytes[0] & 0x0F, masked, payload)
    }

    /// The code and reason of an encoded close frame, or nil if `bytes` is not one.
    static func parseClose(_ bytes: [UInt8]) -> (code: UInt16?, reason: [UInt8])? {
        guard let frame = parse(bytes), frame.opcode == 0x8, frame.fin, frame.payload.count != 1 else { return nil }
        guard frame.payload.count >= 2 else { return (nil, []) }
        return (UInt16(frame.payload[0]) << 8 | UInt16(frame.payload[1]), Array(frame.payload[2...]))
    }
}

extension [UInt8] {
    init(_ string: String) { self = Array(string.utf8) }
}

/// A small deterministic generator (SplitMix64), so randomized tests are repeatable.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// `#expect(a == b)` for values that may be huge: on failure swift-testing would describe
/// both operands in full, which takes minutes for 64 KiB payloads.
func expectEqual<T: Equatable>(
    _ a: T,
    _ b: T,
    _ comment: Comment? = nil,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let equal = a == b
    #expect(equal, comment, sourceLocation: sourceLocation)
}
