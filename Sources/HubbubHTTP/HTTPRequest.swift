/// A parsed request: request line, header fields and the complete body.
public struct HTTPRequest: Sendable, Equatable {
    /// The request method.
    public var method: HTTPMethod
    /// The request-target exactly as received.
    public var target: String
    /// The path part of the target, before `?`, without percent-decoding. For an
    /// absolute-form target (`http://host/a?b`) this is the path after the authority
    /// (`/a`, or `/` if the target has none); for the asterisk-form it is `*`.
    public var path: String
    /// The part of the target after the first `?`, or nil if there is no `?`.
    public var query: String?
    /// The protocol version from the request line.
    public var version: HTTPVersion
    /// The header fields in received order.
    public var headers: HTTPHeaders
    /// The complete body (empty without Content-Length).
    public var body: [UInt8]
    /// Whether the connection may stay open after the response: for HTTP/1.1 and later
    /// unless `Connection` lists `close`; for HTTP/1.0 only if `Connection` lists
    /// `keep-alive` (and not `close`).
    public var keepAlive: Bool

    /// A request; ``path``, ``query`` and ``keepAlive`` are derived from the other values.
    public init(
        method: HTTPMethod,
        target: String,
        version: HTTPVersion = .http1_1,
        headers: HTTPHeaders = .init(),
        body: [UInt8] = []
    ) {
        self.method = method
        self.target = target
        (self.path, self.query) = Self.splitTarget(target)
        self.version = version
        self.headers = headers
        self.body = body
        self.keepAlive = Self.keepAlive(version: version, headers: headers)
    }

    /// The default persistence of a connection carrying a request with these values.
    static func keepAlive(version: HTTPVersion, headers: HTTPHeaders) -> Bool {
        if headers.containsToken("close", in: "Connection") { return false }
        if version >= .http1_1 { return true }
        return headers.containsToken("keep-alive", in: "Connection")
    }

    /// Path and query of a request-target.
    static func splitTarget(_ target: String) -> (path: String, query: String?) {
        let utf8 = target.utf8
        let question = utf8.firstIndex(of: UInt8(ascii: "?")) ?? utf8.endIndex
        let query = question == utf8.endIndex ? nil : String(target[target.index(after: question)...])
        var pathStart = utf8.startIndex
        if let authorityStart = absoluteFormAuthorityStart(utf8) {
            pathStart = utf8[authorityStart..<question].firstIndex(of: UInt8(ascii: "/")) ?? question
            if pathStart == question { return ("/", query) }
        }
        return (String(target[pathStart..<question]), query)
    }

    /// For `http://` or `https://` targets (any case), the index after `//`.
    private static func absoluteFormAuthorityStart(_ utf8: String.UTF8View) -> String.UTF8View.Index? {
        for scheme in ["http://", "https://"] where utf8.count >= scheme.utf8.count {
            let end = utf8.index(utf8.startIndex, offsetBy: scheme.utf8.count)
            if ASCII.caseInsensitiveEquals(utf8[..<end], scheme.utf8) { return end }
        }
        return nil
    }
}
