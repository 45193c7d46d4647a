/// Why a request could not be parsed, with the status to answer it with.
///
/// After sending the error response the connection should be closed: the parser stays
/// failed and the position of the next request is unknown.
public struct HTTPParseError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The response status: 400, 413, 414, 431, 501 or 505.
    public var status: HTTPStatus
    /// A short human-readable reason, safe to send back in a response body.
    public var reason: String

    /// An error answered with `status`; `reason` must be safe to show to the client.
    public init(status: HTTPStatus, reason: String) {
        self.status = status
        self.reason = reason
    }

    /// `code phrase: reason`
    public var description: String { "\(status.code) \(status.reasonPhrase): \(reason)" }

    // MARK: Request line

    /// 414: the request line is longer than ``HTTPLimits/maxRequestLineLength``.
    public static let requestLineTooLong = HTTPParseError(status: .uriTooLong, reason: "request line too long")
    /// 400: the empty lines before a request line exceed ``HTTPLimits/maxRequestLineLength``.
    public static let tooManyEmptyLines = HTTPParseError(
        status: .badRequest, reason: "too many empty lines before the request line")
    /// 400: the request line is not `method SP request-target SP HTTP-version`.
    public static let malformedRequestLine = HTTPParseError(status: .badRequest, reason: "malformed request line")
    /// 400: the method is not a token.
    public static let invalidMethod = HTTPParseError(status: .badRequest, reason: "invalid method")
    /// 400: the request-target is empty or holds a byte other than visible ASCII.
    public static let invalidRequestTarget = HTTPParseError(status: .badRequest, reason: "invalid request target")
    /// 400: the version is not of the form `HTTP/DIGIT.DIGIT`.
    public static let malformedVersion = HTTPParseError(status: .badRequest, reason: "malformed HTTP version")
    /// 505: a well-formed version other than HTTP/1.0 and HTTP/1.1.
    public static let unsupportedVersion = HTTPParseError(
        status: .httpVersionNotSupported, reason: "HTTP version not supported")

    // MARK: Header section

    /// 400: a field line without a colon, or a name that is not a token (including
    /// whitespace between the name and the colon).
    public static let invalidHeaderName = HTTPParseError(status: .badRequest, reason: "invalid header field name")
    /// 400: a field value holding a control character other than HTAB.
    public static let invalidHeaderValue = HTTPParseError(
        status: .badRequest, reason: "invalid character in header field value")
    /// 400: a field line starting with whitespace (obsolete line folding).
    public static let obsoleteLineFolding = HTTPParseError(
        status: .badRequest, reason: "obsolete line folding is not accepted")
    /// 431: more field lines than ``HTTPLimits/maxHeaderCount``.
    public static let tooManyHeaders = HTTPParseError(
        status: .requestHeaderFieldsTooLarge, reason: "too many header fields")
    /// 431: the header section is larger than ``HTTPLimits/maxHeaderBytes``.
    public static let headerSectionTooLarge = HTTPParseError(
        status: .requestHeaderFieldsTooLarge, reason: "header section too large")
    /// 400: an HTTP/1.1 request without a Host field.
    public static let missingHost = HTTPParseError(status: .badRequest, reason: "missing Host header")
    /// 400: more than one Host field.
    public static let multipleHost = HTTPParseError(status: .badRequest, reason: "more than one Host header")

    // MARK: Body framing

    /// 400: a Content-Length that is not a non-empty string of digits.
    public static let invalidContentLength = HTTPParseError(status: .badRequest, reason: "invalid Content-Length")
    /// 400: several Content-Length values that differ.
    public static let conflictingContentLength = HTTPParseError(
        status: .badRequest, reason: "conflicting Content-Length values")
    /// 413: a Content-Length above ``HTTPLimits/maxBodySize``.
    public static let bodyTooLarge = HTTPParseError(status: .payloadTooLarge, reason: "request body too large")
    /// 501: Transfer-Encoding is present; request bodies must use Content-Length.
    public static let transferEncodingNotSupported = HTTPParseError(
        status: .notImplemented, reason: "Transfer-Encoding is not supported")
    /// 400: both Transfer-Encoding and Content-Length are present.
    public static let transferEncodingWithContentLength = HTTPParseError(
        status: .badRequest, reason: "both Transfer-Encoding and Content-Length present")
}
