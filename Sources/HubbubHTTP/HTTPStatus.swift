/// A response status code with its reason phrase.
///
/// Equality and hashing use ``code`` only: a custom reason phrase does not make a
/// different status.
public struct HTTPStatus: Sendable, Hashable, CustomStringConvertible {
    /// The three-digit status code.
    public var code: Int
    /// The reason phrase sent in the status line.
    public var reasonPhrase: String

    /// A status; `code` should have three digits (serialization clamps it to 100...999).
    public init(code: Int, reasonPhrase: String) {
        self.code = code
        self.reasonPhrase = reasonPhrase
    }

    /// Whether the status is informational (1xx).
    public var isInformational: Bool { (100..<200).contains(code) }

    /// `code reasonPhrase`, e.g. `404 Not Found`.
    public var description: String { "\(code) \(reasonPhrase)" }

    public static func == (lhs: HTTPStatus, rhs: HTTPStatus) -> Bool {
        lhs.code == rhs.code
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(code)
    }

    /// 101 Switching Protocols
    public static let switchingProtocols = HTTPStatus(code: 101, reasonPhrase: "Switching Protocols")
    /// 200 OK
    public static let ok = HTTPStatus(code: 200, reasonPhrase: "OK")
    /// 204 No Content
    public static let created = HTTPStatus(code: 201, reasonPhrase: "Created")
    /// 202.
    public static let accepted = HTTPStatus(code: 202, reasonPhrase: "Accepted")
    /// 204.
    public static let noContent = HTTPStatus(code: 204, reasonPhrase: "No Content")
    /// 400 Bad Request
    public static let badRequest = HTTPStatus(code: 400, reasonPhrase: "Bad Request")
    /// 401 Unauthorized
    public static let unauthorized = HTTPStatus(code: 401, reasonPhrase: "Unauthorized")
    /// 403 Forbidden
    public static let forbidden = HTTPStatus(code: 403, reasonPhrase: "Forbidden")
    /// 404 Not Found
    public static let notFound = HTTPStatus(code: 404, reasonPhrase: "Not Found")
    /// 405 Method Not Allowed
    public static let methodNotAllowed = HTTPStatus(code: 405, reasonPhrase: "Method Not Allowed")
    /// 408 Request Timeout
    public static let requestTimeout = HTTPStatus(code: 408, reasonPhrase: "Request Timeout")
    /// 409 Conflict
    public static let conflict = HTTPStatus(code: 409, reasonPhrase: "Conflict")
    /// 413; RFC 9110 names it "Content Too Large".
    public static let payloadTooLarge = HTTPStatus(code: 413, reasonPhrase: "Content Too Large")
    /// 414 URI Too Long
    public static let uriTooLong = HTTPStatus(code: 414, reasonPhrase: "URI Too Long")
    /// 422 Unprocessable Content
    public static let unprocessableContent = HTTPStatus(code: 422, reasonPhrase: "Unprocessable Content")
    /// 426 Upgrade Required
    public static let upgradeRequired = HTTPStatus(code: 426, reasonPhrase: "Upgrade Required")
    /// 429 Too Many Requests
    public static let tooManyRequests = HTTPStatus(code: 429, reasonPhrase: "Too Many Requests")
    /// 431 Request Header Fields Too Large
    public static let requestHeaderFieldsTooLarge = HTTPStatus(
        code: 431, reasonPhrase: "Request Header Fields Too Large")
    /// 500 Internal Server Error
    public static let internalServerError = HTTPStatus(code: 500, reasonPhrase: "Internal Server Error")
    /// 501 Not Implemented
    public static let notImplemented = HTTPStatus(code: 501, reasonPhrase: "Not Implemented")
    /// 503 Service Unavailable
    public static let serviceUnavailable = HTTPStatus(code: 503, reasonPhrase: "Service Unavailable")
    /// 505 HTTP Version Not Supported
    public static let httpVersionNotSupported = HTTPStatus(code: 505, reasonPhrase: "HTTP Version Not Supported")
}
