/// A response to serialize onto a connection.
public struct HTTPResponse: Sendable, Equatable {
    /// The status line's code and reason phrase.
    public var status: HTTPStatus
    /// Header fields, sent in order; see ``serialize(keepAlive:)`` for the ones added.
    public var headers: HTTPHeaders
    /// The body, sent as is.
    public var body: [UInt8]

    /// A response; no header is added until ``serialize(keepAlive:)``.
    public init(status: HTTPStatus, headers: HTTPHeaders = .init(), body: [UInt8] = []) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// A JSON error response with body `{"error":{"code":"…","message":"…"}}` and
    /// `Content-Type: application/json`; both strings are JSON-escaped.
    public static func error(_ status: HTTPStatus, code: String, message: String) -> HTTPResponse {
        var json = #"{"error":{"code":""#
        JSONEscaping.append(code, to: &json)
        json += #"","message":""#
        JSONEscaping.append(message, to: &json)
        json += #""}}"#
        return HTTPResponse(
            status: status,
            headers: ["Content-Type": "application/json"],
            body: Array(json.utf8)
        )
    }

    /// The response as HTTP/1.1 bytes: status line, header fields in order, a
    /// `Content-Length` (added unless the status is 1xx or 204 or the field is already
    /// present), the empty line and the body.
    ///
    /// `keepAlive: false` adds `Connection: close` unless `Connection` already lists
    /// `close`. To keep a field from injecting lines, a field whose name is not a token is
    /// left out and control characters other than HTAB in a value or the reason phrase are
    /// sent as spaces.
    public func serialize(keepAlive: Bool, headOnly: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(64 + headers.count * 32 + body.count)
        out.append(contentsOf: "HTTP/1.1 ".utf8)
        Self.appendStatusCode(status.code, to: &out)
        out.append(ASCII.space)
        Self.appendSanitized(status.reasonPhrase, to: &out)
        out.append(contentsOf: [ASCII.cr, ASCII.lf])

        for field in headers where ASCII.isToken(field.name) {
            Self.appendField(name: field.name, value: field.value, to: &out)
        }
        let bodyless = status.isInformational || status.code == 204
        if !bodyless, !headers.contains(name: "Content-Length") {
            Self.appendField(name: "Content-Length", value: String(body.count), to: &out)
        }
        if !keepAlive, !headers.containsToken("close", in: "Connection") {
            Self.appendField(name: "Connection", value: "close", to: &out)
        }
        out.append(contentsOf: [ASCII.cr, ASCII.lf])
        // A response to HEAD describes the body (Content-Length) without sending it.
        if !headOnly { out.append(contentsOf: body) }
        return out
    }

    private static func appendStatusCode(_ code: Int, to out: inout [UInt8]) {
        // Always three digits on the wire, whatever the caller put in.
        let clamped = min(max(code, 100), 999)
        out.append(contentsOf: String(clamped).utf8)
    }

    private static func appendField(name: String, value: String, to out: inout [UInt8]) {
        out.append(contentsOf: name.utf8)
        out.append(contentsOf: ": ".utf8)
        appendSanitized(value, to: &out)
        out.append(contentsOf: [ASCII.cr, ASCII.lf])
    }

    private static func appendSanitized(_ text: String, to out: inout [UInt8]) {
        for byte in text.utf8 {
            out.append(ASCII.isFieldValueByte(byte) ? byte : ASCII.space)
        }
    }
}
