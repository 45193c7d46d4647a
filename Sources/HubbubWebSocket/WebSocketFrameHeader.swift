/// The fixed part of a frame, validated: everything but the payload.
struct WebSocketFrameHeader: Sendable, Equatable {
    var fin: Bool
    var rsv: UInt8
    var opcode: WebSocketOpcode
    /// The payload length, at most the parser's `maxFrameSize`.
    var length: Int
    /// The masking key, present exactly when the frame is masked.
    var maskKey: WebSocketMaskKey?

    /// The header's size on the wire, known from its second byte.
    static func size(secondByte: UInt8) -> Int {
        let lengthSize =
            switch secondByte & 0x7F {
            case 126: 2
            case 127: 8
            default: 0
            }
        return 2 + lengthSize + (secondByte & 0x80 != 0 ? 4 : 0)
    }
}
