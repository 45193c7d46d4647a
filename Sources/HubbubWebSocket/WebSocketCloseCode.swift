/// A close status code (RFC 6455 §7.4 and the IANA "WebSocket Close Code Number" registry).
///
/// Any `UInt16` can be represented, because a peer may send anything; use
/// ``isValidOnWire`` to decide whether a received code is acceptable.
public struct WebSocketCloseCode: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The numeric code as sent on the wire (big-endian, in the first two payload bytes).
    public var rawValue: UInt16

    /// Wraps any numeric code, valid or not.
    public init(rawValue: UInt16) {
        self.rawValue = rawValue
    }

    /// 1000: the purpose of the connection has been fulfilled.
    public static let normalClosure = WebSocketCloseCode(rawValue: 1000)
    /// 1001: the endpoint is going away (server shutdown, page navigation).
    public static let goingAway = WebSocketCloseCode(rawValue: 1001)
    /// 1002: the peer violated the protocol.
    public static let protocolError = WebSocketCloseCode(rawValue: 1002)
    /// 1003: the endpoint cannot accept this kind of data (text or binary).
    public static let unsupportedData = WebSocketCloseCode(rawValue: 1003)
    /// 1005: no status code was present in the close frame. Never sent on the wire.
    public static let noStatusReceived = WebSocketCloseCode(rawValue: 1005)
    /// 1006: the connection was closed without a close frame. Never sent on the wire.
    public static let abnormalClosure = WebSocketCloseCode(rawValue: 1006)
    /// 1007: a text message (or close reason) was not valid UTF-8.
    public static let invalidPayloadData = WebSocketCloseCode(rawValue: 1007)
    /// 1008: a message violated the endpoint's policy.
    public static let policyViolation = WebSocketCloseCode(rawValue: 1008)
    /// 1009: a frame or message was too big to process.
    public static let messageTooBig = WebSocketCloseCode(rawValue: 1009)
    /// 1010: the client expected the server to negotiate an extension it did not.
    public static let mandatoryExtension = WebSocketCloseCode(rawValue: 1010)
    /// 1011: the server hit an unexpected condition.
    public static let internalError = WebSocketCloseCode(rawValue: 1011)
    /// 1012: the server is restarting; the client may reconnect.
    public static let serviceRestart = WebSocketCloseCode(rawValue: 1012)
    /// 1013: temporary overload; the client should reconnect later.
    public static let tryAgainLater = WebSocketCloseCode(rawValue: 1013)

    /// Whether the code may appear in a close frame on the wire.
    ///
    /// Valid: 1000-1003 and 1007-1014 (the IANA registry; Autobahn 7.7.x expects 1000-1003 and
    /// 1007-1011 to be echoed and 7.9.x never sends 1012-1014 as "invalid"), and 3000-4999
    /// (libraries and private use). Invalid: below 1000, 1004 (reserved), 1005 and 1006
    /// (local-only), 1015 (TLS failure, local-only), 1016-2999 (unassigned) and 5000 and up.
    public var isValidOnWire: Bool {
        switch rawValue {
        case 1000...1003, 1007...1014, 3000...4999: true
        default: false
        }
    }

    public var description: String {
        let name: String? =
            switch rawValue {
            case 1000: "normal closure"
            case 1001: "going away"
            case 1002: "protocol error"
            case 1003: "unsupported data"
            case 1005: "no status received"
            case 1006: "abnormal closure"
            case 1007: "invalid payload data"
            case 1008: "policy violation"
            case 1009: "message too big"
            case 1010: "mandatory extension"
            case 1011: "internal error"
            case 1012: "service restart"
            case 1013: "try again later"
            case 1014: "bad gateway"
            case 1015: "TLS handshake failure"
            default: nil
            }
        if let name { return "\(rawValue) (\(name))" }
        return "\(rawValue)"
    }
}
