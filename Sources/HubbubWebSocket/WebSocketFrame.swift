/// One decoded WebSocket frame, its payload already unmasked.
public struct WebSocketFrame: Sendable, Equatable {
    /// Whether this is the final fragment of its message (always true for control frames).
    public var fin: Bool
    /// The three reserved bits RSV1-RSV3, as the low bits (RSV1 = 0b100). Always 0 from
    /// ``WebSocketFrameDecoder``, which negotiates no extension and rejects them.
    public var rsv: UInt8
    /// The frame's opcode.
    public var opcode: WebSocketOpcode
    /// The application data, unmasked.
    public var payload: [UInt8]

    /// Creates a frame.
    public init(fin: Bool = true, rsv: UInt8 = 0, opcode: WebSocketOpcode, payload: [UInt8]) {
        self.fin = fin
        self.rsv = rsv
        self.opcode = opcode
        self.payload = payload
    }
}
