/// The `code` of an `error` reply (protocol/errors.md). Each code has a fixed `retryable`.
public enum ErrorCode: String, Sendable, CaseIterable {
    case badRequest = "bad_request"
    case invalidMessage = "invalid_message"
    case unknownType = "unknown_type"
    case tooLarge = "too_large"
    case unauthorized
    case forbidden
    case notFound = "not_found"
    case notJoined = "not_joined"
    case conflict
    case duplicate
    case rateLimited = "rate_limited"
    case limitExceeded = "limit_exceeded"
    case resyncRequired = "resync_required"
    case unavailable
    case `internal`

    /// Whether the same command with the same id may succeed later.
    public var retryable: Bool {
        switch self {
        case .rateLimited, .unavailable: true
        default: false
        }
    }

    /// Codes that count toward the "malformed messages in a row" limit (close 1008).
    public var isMalformed: Bool {
        switch self {
        case .invalidMessage, .unknownType, .badRequest: true
        default: false
        }
    }
}
