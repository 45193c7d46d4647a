import HubbubJSON

/// A command that gets an `error` reply: the code, a message for people, and the
/// code-specific `details` (protocol/errors.md). Nothing was applied.
public struct ProtocolError: Error, Sendable, Equatable {
    public var code: ErrorCode
    public var message: String
    /// An object, or nil for none.
    public var details: JSONValue?
    /// Present for `rate_limited` (always) and `unavailable` (when known).
    public var retryAfterMilliseconds: Int?

    public init(_ code: ErrorCode, _ message: String, details: JSONValue? = nil, retryAfterMilliseconds: Int? = nil) {
        self.code = code
        self.message = message
        self.details = details
        self.retryAfterMilliseconds = retryAfterMilliseconds
    }
}

extension ProtocolError {
    /// `bad_request` about one field (`field` is a JSON Pointer such as `/room`).
    public static func badRequest(field: String, reason: String, _ message: String) -> ProtocolError {
        ProtocolError(.badRequest, message, details: .object(["field": .string(field), "reason": .string(reason)]))
    }

    /// `too_large` about one field.
    public static func tooLarge(field: String, limit: Int, size: Int, _ message: String) -> ProtocolError {
        ProtocolError(.tooLarge, message, details: .object([
            "field": .string(field),
            "limit_bytes": .number(JSONNumber(integer: Int64(limit), double: Double(limit))),
            "size_bytes": .number(JSONNumber(integer: Int64(size), double: Double(size))),
        ]))
    }

    public static func notJoined(_ room: String) -> ProtocolError {
        ProtocolError(.notJoined, "this connection has not joined room \(room)", details: .object(["room": .string(room)]))
    }
}
