/// The peer broke RFC 6455 or one of our limits; the connection must be failed with
/// ``closeCode`` (RFC 6455 §7.1.7).
public struct WebSocketProtocolError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The close code to send: 1002 for framing violations, 1007 for invalid UTF-8,
    /// 1009 for oversized frames and messages.
    public var closeCode: WebSocketCloseCode
    /// A short human-readable reason (ASCII, at most 123 bytes, fits a close frame).
    public var reason: String

    /// Creates an error.
    public init(closeCode: WebSocketCloseCode, reason: String) {
        self.closeCode = closeCode
        self.reason = reason
    }

    public var description: String { "WebSocket protocol error \(closeCode): \(reason)" }
}

extension WebSocketProtocolError {
    static let reservedBitsSet = Self(closeCode: .protocolError, reason: "reserved bits set without an extension")
    static let fragmentedControlFrame = Self(closeCode: .protocolError, reason: "fragmented control frame")
    static let controlFrameTooLong = Self(closeCode: .protocolError, reason: "control frame payload over 125 bytes")
    static let unmaskedClientFrame = Self(closeCode: .protocolError, reason: "client frame is not masked")
    static let maskedServerFrame = Self(closeCode: .protocolError, reason: "server frame is masked")
    static let invalidPayloadLength = Self(closeCode: .protocolError, reason: "payload length has its top bit set")
    static let unexpectedContinuation = Self(closeCode: .protocolError, reason: "continuation frame without a message")
    static let unfinishedMessage = Self(closeCode: .protocolError, reason: "new message before the previous one ended")
    static let closePayloadTooShort = Self(closeCode: .protocolError, reason: "close payload of one byte")
    static let invalidUTF8 = Self(closeCode: .invalidPayloadData, reason: "text message is not valid UTF-8")
    static let invalidCloseReason = Self(closeCode: .invalidPayloadData, reason: "close reason is not valid UTF-8")

    static func reservedOpcode(_ opcode: UInt8) -> Self {
        Self(closeCode: .protocolError, reason: "reserved opcode \(opcode)")
    }

    static func invalidCloseCode(_ code: UInt16) -> Self {
        Self(closeCode: .protocolError, reason: "invalid close code \(code)")
    }

    static func frameTooBig(limit: Int) -> Self {
        Self(closeCode: .messageTooBig, reason: "frame larger than \(limit) bytes")
    }

    static func messageTooBig(limit: Int) -> Self {
        Self(closeCode: .messageTooBig, reason: "message larger than \(limit) bytes")
    }
}
