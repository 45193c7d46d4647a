/// Encodes WebSocket frames.
///
/// A server sends unmasked frames, so one encoded message can be written to many
/// connections; a client passes a fresh mask key for every frame.
public enum WebSocketFrameEncoder {
    /// The largest close reason, in UTF-8 bytes: 125 bytes of payload less the code.
    public static let maxCloseReasonSize = 123

    /// The size of a frame header: 2 bytes, plus 2 or 8 for a payload length of 126 or
    /// more (resp. 65536 or more), plus 4 for the mask key.
    public static func headerSize(payloadLength: Int, masked: Bool) -> Int {
        let lengthSize =
            if payloadLength < 126 { 0 } else if payloadLength <= 0xFFFF { 2 } else { 8 }
        return 2 + lengthSize + (masked ? 4 : 0)
    }

    /// Encodes one frame into a new array, header and payload in a single allocation.
    /// - Parameters:
    ///   - opcode: the frame's opcode. Control frames must have `fin` and at most 125 bytes.
    ///   - payload: the application data (copied, and masked when `maskKey` is given).
    ///   - fin: whether this is the last fragment of its message.
    ///   - maskKey: the masking key, whose big-endian bytes are written to the wire; nil
    ///     sends the frame unmasked (server role).
    public static func encode(
        opcode: WebSocketOpcode,
        payload: UnsafeRawBufferPointer,
        fin: Bool = true,
        maskKey: UInt32? = nil
    ) -> [UInt8] {
        assert(!opcode.isControl || (fin && payload.count <= 125), "invalid control frame")
        let headerSize = headerSize(payloadLength: payload.count, masked: maskKey != nil)
        let total = headerSize + payload.count
        return [UInt8](unsafeUninitializedCapacity: total) { buffer, initializedCount in
            let base = UnsafeMutableRawPointer(buffer.baseAddress!)
            base.storeBytes(of: (fin ? 0x80 : 0) | opcode.rawValue, as: UInt8.self)
            let maskBit: UInt8 = maskKey != nil ? 0x80 : 0
            var offset = 2
            switch payload.count {
            case ..<126:
                base.storeBytes(of: maskBit | UInt8(payload.count), toByteOffset: 1, as: UInt8.self)
            case ...0xFFFF:
                base.storeBytes(of: maskBit | 126, toByteOffset: 1, as: UInt8.self)
                base.storeBytes(of: UInt16(payload.count).bigEndian, toByteOffset: 2, as: UInt16.self)
                offset = 4
            default:
                base.storeBytes(of: maskBit | 127, toByteOffset: 1, as: UInt8.self)
                base.storeBytes(of: UInt64(payload.count).bigEndian, toByteOffset: 2, as: UInt64.self)
                offset = 10
            }
            if let maskKey {
                let key = WebSocketMaskKey(networkOrder: maskKey)
                base.storeBytes(of: key.value, toByteOffset: offset, as: UInt32.self)
                if let source = payload.baseAddress {
                    key.apply(from: source, to: base + headerSize, count: payload.count)
                }
            } else if let source = payload.baseAddress {
                (base + headerSize).copyMemory(from: source, byteCount: payload.count)
            }
            initializedCount = total
        }
    }

    /// Encodes one frame from an array; see the `UnsafeRawBufferPointer` overload.
    public static func encode(
        opcode: WebSocketOpcode,
        payload: [UInt8],
        fin: Bool = true,
        maskKey: UInt32? = nil
    ) -> [UInt8] {
        payload.withUnsafeBytes { encode(opcode: opcode, payload: $0, fin: fin, maskKey: maskKey) }
    }

    /// Encodes a close frame.
    /// - Parameters:
    ///   - code: the status code; nil sends an empty payload (and no reason).
    ///   - reason: UTF-8 text, truncated on a character boundary to 123 bytes.
    ///   - maskKey: the masking key (big-endian bytes on the wire), nil for unmasked.
    public static func encodeClose(code: WebSocketCloseCode?, reason: String, maskKey: UInt32?) -> [UInt8] {
        guard let code else { return encode(opcode: .close, payload: [], maskKey: maskKey) }
        var payload: [UInt8] = []
        payload.reserveCapacity(2 + Swift.min(reason.utf8.count, maxCloseReasonSize))
        payload.append(UInt8(truncatingIfNeeded: code.rawValue &>> 8))
        payload.append(UInt8(truncatingIfNeeded: code.rawValue))
        let utf8 = reason.utf8
        if utf8.count <= maxCloseReasonSize {
            payload.append(contentsOf: utf8)
        } else {
            // Cut before the continuation bytes of the code point that straddles the limit.
            var end = utf8.index(utf8.startIndex, offsetBy: maxCloseReasonSize)
            while end > utf8.startIndex, utf8[end] & 0xC0 == 0x80 {
                end = utf8.index(before: end)
            }
            payload.append(contentsOf: utf8[..<end])
        }
        return encode(opcode: .close, payload: payload, maskKey: maskKey)
    }
}
