/// The streaming core shared by ``WebSocketFrameDecoder`` and ``WebSocketConnection``.
///
/// It never buffers payload: each call hands back the header, then the payload as slices
/// of the caller's input (still masked, with the key rotated to fit the slice), then the end
/// of the frame. Only a header split across reads is copied, into 16 inline bytes. This
/// lets the connection unmask straight from the socket buffer into the message being
/// reassembled (one copy) and validate UTF-8 as bytes arrive, in the middle of a frame.
///
/// Every rule that can be checked from the frame alone is checked here, as early as
/// possible: the first two bytes (reserved bits, opcode, control frame rules, masking)
/// before the extended length arrives, and the length before any payload.
struct WebSocketFrameParser: Sendable {
    enum Event {
        /// Nothing more can be parsed from the input, which is now empty.
        case needMoreData
        /// A new frame; its payload (if any) follows.
        case header(WebSocketFrameHeader)
        /// The next bytes of the payload, a slice of the input; unmask with `maskKey`.
        case payload(UnsafeRawBufferPointer, maskKey: WebSocketMaskKey?)
        /// The frame's payload is complete.
        case frameEnd
    }

    private enum State: Sendable {
        case header
        case payload(remaining: Int, maskKey: WebSocketMaskKey?, offset: Int)
        case frameEnd
    }

    /// Whether incoming frames must be masked (we are the server) or must not be.
    let expectsMaskedFrames: Bool
    let maxFrameSize: Int
    private var state = State.header
    /// A header that arrived in pieces (at most 14 bytes).
    private var headerBytes: (UInt64, UInt64) = (0, 0)
    private var headerCount = 0

    init(role: WebSocketRole, maxFrameSize: Int) {
        self.expectsMaskedFrames = role == .server
        self.maxFrameSize = Swift.max(0, maxFrameSize)
    }

    /// Consumes bytes from the front of `input` and returns the next event. After an error
    /// the parser must not be used again.
    mutating func parse(_ input: inout UnsafeRawBufferPointer) throws(WebSocketProtocolError) -> Event {
        switch state {
        case .header:
            guard let header = try parseHeader(&input) else { return .needMoreData }
            state = header.length > 0 ? .payload(remaining: header.length, maskKey: header.maskKey, offset: 0) : .frameEnd
            return .header(header)

        case .payload(let remaining, let maskKey, let offset):
            let count = Swift.min(remaining, input.count)
            guard count > 0 else { return .needMoreData }
            let chunk = UnsafeRawBufferPointer(rebasing: input[..<count])
            input = UnsafeRawBufferPointer(rebasing: input[count...])
            state =
                count == remaining
                ? .frameEnd : .payload(remaining: remaining &- count, maskKey: maskKey, offset: (offset &+ count) & 3)
            return .payload(chunk, maskKey: maskKey?.rotated(by: offset))

        case .frameEnd:
            state = .header
            return .frameEnd
        }
    }

    private mutating func parseHeader(_ input: inout UnsafeRawBufferPointer) throws(WebSocketProtocolError) -> WebSocketFrameHeader? {
        // Fast path: the whole header is in the input.
        if headerCount == 0, input.count >= 2 {
            let size = try validateStart(input[0], input[1])
            if input.count >= size {
                let header = try decode(UnsafeRawBufferPointer(rebasing: input[..<size]))
                input = UnsafeRawBufferPointer(rebasing: input[size...])
                return header
            }
        }
        // Slow path: gather the header across reads.
        var storage = headerBytes
        defer { headerBytes = storage }
        while !input.isEmpty {
            let before = headerCount
            let needed = before < 2 ? 2 : WebSocketFrameHeader.size(secondByte: Self.byte(1, of: storage))
            let count = Swift.min(needed &- before, input.count)
            withUnsafeMutableBytes(of: &storage) { bytes in
                bytes.baseAddress!.advanced(by: before).copyMemory(from: input.baseAddress!, byteCount: count)
            }
            input = UnsafeRawBufferPointer(rebasing: input[count...])
            headerCount = before &+ count
            guard headerCount >= 2 else { continue }
            let size = try validateStart(Self.byte(0, of: storage), Self.byte(1, of: storage))
            if headerCount == size {
                headerCount = 0
                return try withUnsafeBytes(of: storage) { bytes throws(WebSocketProtocolError) in
                    try decode(UnsafeRawBufferPointer(rebasing: bytes[..<size]))
                }
            }
        }
        return nil
    }

    private static func byte(_ index: Int, of storage: (UInt64, UInt64)) -> UInt8 {
        withUnsafeBytes(of: storage) { $0[index] }
    }

    /// Checks what the first two bytes alone can tell, and returns the header size.
    private func validateStart(_ first: UInt8, _ second: UInt8) throws(WebSocketProtocolError) -> Int {
        _ = try Self.opcode(first, second)
        guard (second & 0x80 != 0) == expectsMaskedFrames else {
            throw expectsMaskedFrames ? .unmaskedClientFrame : .maskedServerFrame
        }
        return WebSocketFrameHeader.size(secondByte: second)
    }

    private static func opcode(_ first: UInt8, _ second: UInt8) throws(WebSocketProtocolError) -> WebSocketOpcode {
        guard first & 0x70 == 0 else { throw .reservedBitsSet }
        guard let opcode = WebSocketOpcode(rawValue: first & 0x0F) else { throw .reservedOpcode(first & 0x0F) }
        if opcode.isControl {
            guard first & 0x80 != 0 else { throw .fragmentedControlFrame }
            guard second & 0x7F <= 125 else { throw .controlFrameTooLong }
        }
        return opcode
    }

    /// Decodes a complete header whose first two bytes passed `validateStart`.
    private func decode(_ bytes: UnsafeRawBufferPointer) throws(WebSocketProtocolError) -> WebSocketFrameHeader {
        let first = bytes[0]
        let second = bytes[1]
        let opcode = try Self.opcode(first, second)
        var length = UInt64(second & 0x7F)
        var offset = 2
        if length == 126 {
            length = UInt64(UInt16(bigEndian: bytes.loadUnaligned(fromByteOffset: 2, as: UInt16.self)))
            offset = 4
        } else if length == 127 {
            length = UInt64(bigEndian: bytes.loadUnaligned(fromByteOffset: 2, as: UInt64.self))
            offset = 10
            guard length & (1 << 63) == 0 else { throw .invalidPayloadLength }
        }
        guard length <= UInt64(maxFrameSize) else { throw .frameTooBig(limit: maxFrameSize) }
        let maskKey =
            second & 0x80 != 0
            ? WebSocketMaskKey(memoryOrder: bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self)) : nil
        return WebSocketFrameHeader(
            fin: first & 0x80 != 0,
            rsv: (first &>> 4) & 0x7,
            opcode: opcode,
            length: Int(length),
            maskKey: maskKey
        )
    }
}
