/// The payload of a received close frame, validated (RFC 6455 §5.5.1, §7.4).
struct WebSocketClosePayload: Sendable, Equatable {
    /// The status code; nil when the payload was empty.
    var code: WebSocketCloseCode?
    var reason: String

    /// Parses and validates a close payload: empty, or a code valid on the wire followed
    /// by a UTF-8 reason.
    init(parsing payload: [UInt8]) throws(WebSocketProtocolError) {
        switch payload.count {
        case 0:
            self.code = nil
            self.reason = ""
        case 1:
            throw .closePayloadTooShort
        default:
            let code = WebSocketCloseCode(rawValue: UInt16(payload[0]) &<< 8 | UInt16(payload[1]))
            guard code.isValidOnWire else { throw .invalidCloseCode(code.rawValue) }
            let reason = payload[2...]
            var validator = UTF8Validator()
            let valid = reason.withUnsafeBytes { validator.feed($0) } && validator.isAtCharacterBoundary
            guard valid else { throw .invalidCloseReason }
            self.code = code
            self.reason = String(decoding: reason, as: UTF8.self)
        }
    }
}
