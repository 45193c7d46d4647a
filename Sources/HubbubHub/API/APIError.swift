import HubbubHTTP
import HubbubJSON

/// An HTTP API error: the status and `{"error": {"code", "message", "details"?}}`
/// (protocol/openapi.json, `Error`).
struct APIError: Error, Sendable {
    var status: HTTPStatus
    var code: String
    var message: String
    var details: JSONValue?
    var retryAfterSeconds: Int?
    /// `Allow` of a 405: the methods the path takes.
    var allow: [String] = []

    init(_ status: HTTPStatus, _ code: String, _ message: String, details: JSONValue? = nil, retryAfterSeconds: Int? = nil) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.retryAfterSeconds = retryAfterSeconds
    }

    var response: HTTPResponse {
        var out = JSONOutput()
        out.beginObject()
        out.key("error")
        out.beginObject()
        out.member("code", code)
        out.member("message", message)
        if let details {
            out.key("details")
            out.value(details)
        }
        out.endObject()
        out.endObject()
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        if let retryAfterSeconds { headers.add(name: "Retry-After", value: String(retryAfterSeconds)) }
        if status == .unauthorized { headers.add(name: "WWW-Authenticate", value: "Bearer") }
        if !allow.isEmpty { headers.add(name: "Allow", value: allow.joined(separator: ", ")) }
        return HTTPResponse(status: status, headers: headers, body: out.bytes)
    }

    static func invalid(_ field: String, _ message: String) -> APIError {
        APIError(.unprocessableContent, "invalid_field", message, details: .object(["field": .string(field)]))
    }

    static func notFound(_ message: String) -> APIError { APIError(.notFound, "not_found", message) }

    /// The HTTP form of a hub error.
    init(_ error: ProtocolError) {
        let status: HTTPStatus
        switch error.code {
        case .notFound, .forbidden: status = .notFound
        case .conflict: status = .conflict
        case .duplicate: status = .conflict
        case .tooLarge: status = .payloadTooLarge
        case .rateLimited: status = .tooManyRequests
        case .unavailable: status = .serviceUnavailable
        case .limitExceeded: status = .conflict
        case .badRequest, .invalidMessage, .unknownType: status = .unprocessableContent
        case .internal: status = .internalServerError
        default: status = .badRequest
        }
        self.init(status, error.code.rawValue, error.message, details: error.details,
                  retryAfterSeconds: error.retryAfterMilliseconds.map { max(1, ($0 + 999) / 1000) })
    }
}
