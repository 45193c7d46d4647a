/// An incremental, I/O-free HTTP/1.1 request parser (RFC 9112).
///
/// Feed bytes with ``append(_:)-([UInt8])`` as they arrive, split anywhere, then call
/// ``next()`` until it returns nil. Results do not depend on how the bytes were split.
/// Several pipelined requests in the buffer come out one per call; bytes after the last
/// complete request stay buffered and can be taken with ``takeUnparsedBytes()`` (for
/// example WebSocket frames sent right behind an upgrade request).
///
/// Accepted syntax:
/// - Request line `method SP request-target SP HTTP/1.x`; method a token, target visible
///   ASCII, version `HTTP/1.0` or `HTTP/1.1` (other well-formed versions: 505).
/// - Lines end with CRLF or a bare LF; a CR anywhere else is rejected.
/// - Empty lines before a request line are skipped (bounded, see ``HTTPLimits``).
/// - Field lines `name ":" OWS value OWS`; name a token, value without control characters
///   other than HTAB; obsolete line folding is rejected.
/// - HTTP/1.1 requests need exactly one Host field, HTTP/1.0 at most one (RFC 9112 3.2).
/// - The body is framed by `Content-Length` only. Repeated or comma-separated
///   Content-Length values are accepted when they are all equal. Any `Transfer-Encoding`
///   (so chunked request bodies) is answered with 501 Not Implemented, or 400 if
///   Content-Length is present as well (a request smuggling vector). No request this
///   server handles needs a chunked body. `Expect: 100-continue` is not acted upon; the
///   request is returned once its whole body arrived.
///
/// Limits are enforced as soon as they can be known to be exceeded, so trickled input
/// fails without waiting for a line end. Scanning resumes where the previous call
/// stopped, so feeding one byte at a time stays linear. After an error the parser stays
/// failed: every later ``next()`` throws the same error and appended bytes are dropped.
public struct HTTPRequestParser: Sendable {
    private enum Phase: Sendable {
        case requestLine
        case headers
        case body(contentLength: Int)
    }

    /// The limits this parser enforces.
    public let limits: HTTPLimits

    private var buffer: [UInt8] = []
    /// First byte after the last complete request (or skipped empty line).
    private var messageStart = 0
    /// First byte of the line (or body) being parsed.
    private var lineStart = 0
    /// Where the search for the current line's LF resumes.
    private var scanIndex = 0
    private var phase = Phase.requestLine
    private var failure: HTTPParseError?

    private var emptyLineBytes = 0
    private var headerBytes = 0
    private var method = HTTPMethod.get
    private var target = ""
    private var version = HTTPVersion.http1_1
    private var headers = HTTPHeaders()

    /// Bytes examined while looking for line ends, for tests of linear scanning.
    internal private(set) var scannedByteCount = 0
    /// Bytes currently held, for tests of bounded buffering.
    internal var storedByteCount: Int { buffer.count }

    /// A parser waiting for the first byte of a request.
    public init(limits: HTTPLimits = .init()) {
        self.limits = limits
    }

    /// Whether bytes were received after the last complete request (including the start of
    /// a request not yet complete).
    public var hasBufferedBytes: Bool { buffer.count > messageStart }

    /// Feeds received bytes; they are copied once into the parser's buffer.
    public mutating func append(_ bytes: UnsafeRawBufferPointer) {
        guard failure == nil, !bytes.isEmpty else { return }
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// Feeds received bytes.
    public mutating func append(_ bytes: [UInt8]) {
        guard failure == nil, !bytes.isEmpty else { return }
        compact()
        buffer.append(contentsOf: bytes)
    }

    /// The next complete request, or nil if more bytes are needed.
    ///
    /// Call it until it returns nil after every append. Once it throws, every later call
    /// throws the same error.
    public mutating func next() throws(HTTPParseError) -> HTTPRequest? {
        if let failure { throw failure }
        do {
            return try parse()
        } catch {
            failure = error
            throw error
        }
    }

    /// Returns the bytes received after the last complete request and forgets them;
    /// a partly parsed request is discarded and its bytes are part of the result.
    public mutating func takeUnparsedBytes() -> [UInt8] {
        let unparsed = Array(buffer[messageStart...])
        buffer = []
        messageStart = 0
        resetMessage()
        return unparsed
    }

    // MARK: - Parsing

    private mutating func parse() throws(HTTPParseError) -> HTTPRequest? {
        while true {
            switch phase {
            case .requestLine:
                guard try parseRequestLine() else { return nil }
            case .headers:
                switch try parseHeaderLine() {
                case .needMoreBytes:
                    return nil
                case .field:
                    continue
                case .end(contentLength: 0):
                    return completeRequest(body: [])
                case .end(let contentLength):
                    phase = .body(contentLength: contentLength)
                }
            case .body(let contentLength):
                guard buffer.count - lineStart >= contentLength else { return nil }
                let body = Array(buffer[lineStart..<lineStart + contentLength])
                lineStart += contentLength
                return completeRequest(body: body)
            }
        }
    }

    /// Skips one empty line or parses the request line; false if more bytes are needed.
    private mutating func parseRequestLine() throws(HTTPParseError) -> Bool {
        guard lineStart < buffer.count else { return false }
        if let emptyLineLength = emptyLineLength() {
            guard emptyLineLength > 0 else { return false }
            emptyLineBytes += emptyLineLength
            if emptyLineBytes > limits.maxRequestLineLength { throw .tooManyEmptyLines }
            lineStart += emptyLineLength
            messageStart = lineStart
            scanIndex = lineStart
            return true
        }

        let maxLength = limits.maxRequestLineLength
        // A valid line is at most maxLength content bytes plus CR LF.
        let (end, bound) = lineEnd(maxBytes: min(maxLength, Int.max - 2) + 2)
        guard let end else {
            let received = bound - lineStart
            let knownContent = received - (buffer[bound - 1] == ASCII.cr ? 1 : 0)
            if knownContent > maxLength { throw .requestLineTooLong }
            return false
        }
        let contentEnd = contentEnd(lineEnd: end)
        if contentEnd - lineStart > maxLength { throw .requestLineTooLong }
        try parseRequestLine(lineStart..<contentEnd)
        startNextLine(after: end)
        phase = .headers
        return true
    }

    /// If the line at `lineStart` is (or may still become) an empty line: its length with
    /// terminator, or 0 if a lone CR needs the next byte. Nil for any other line.
    private func emptyLineLength() -> Int? {
        switch buffer[lineStart] {
        case ASCII.lf:
            return 1
        case ASCII.cr:
            guard lineStart + 1 < buffer.count else { return 0 }
            return buffer[lineStart + 1] == ASCII.lf ? 2 : nil
        default:
            return nil
        }
    }

    private mutating func parseRequestLine(_ range: Range<Int>) throws(HTTPParseError) {
        let line = buffer[range]
        guard let firstSpace = line.firstIndex(of: ASCII.space),
              let lastSpace = line.lastIndex(of: ASCII.space),
              firstSpace != lastSpace
        else { throw .malformedRequestLine }

        let methodBytes = line[..<firstSpace]
        guard !methodBytes.isEmpty, methodBytes.allSatisfy(ASCII.isTokenByte) else { throw .invalidMethod }
        let targetBytes = line[(firstSpace + 1)..<lastSpace]
        guard !targetBytes.isEmpty, targetBytes.allSatisfy(ASCII.isTargetByte) else {
            throw .invalidRequestTarget
        }
        version = try Self.parseVersion(line[(lastSpace + 1)...])
        method = HTTPMethod(name: String(decoding: methodBytes, as: UTF8.self))
        target = String(decoding: targetBytes, as: UTF8.self)
    }

    private static func parseVersion(_ bytes: ArraySlice<UInt8>) throws(HTTPParseError) -> HTTPVersion {
        let prefix = "HTTP/".utf8
        guard bytes.count == prefix.count + 3, bytes.starts(with: prefix) else { throw .malformedVersion }
        let major = bytes[bytes.startIndex + 5]
        let dot = bytes[bytes.startIndex + 6]
        let minor = bytes[bytes.startIndex + 7]
        let digits = UInt8(ascii: "0")...UInt8(ascii: "9")
        guard digits.contains(major), dot == UInt8(ascii: "."), digits.contains(minor) else {
            throw .malformedVersion
        }
        let version = HTTPVersion(major: Int(major - digits.lowerBound), minor: Int(minor - digits.lowerBound))
        guard version == .http1_0 || version == .http1_1 else { throw .unsupportedVersion }
        return version
    }

    private enum HeaderLineResult {
        case needMoreBytes
        case field
        case end(contentLength: Int)
    }

    /// Parses one field line, or the empty line that ends the header section.
    private mutating func parseHeaderLine() throws(HTTPParseError) -> HeaderLineResult {
        // Bytes still allowed in the section, including this line's terminator.
        let remaining = limits.maxHeaderBytes - headerBytes
        let (end, bound) = lineEnd(maxBytes: remaining)
        guard let end else {
            // The line still needs at least its LF, so it ends up larger than received.
            if bound - lineStart >= remaining { throw .headerSectionTooLarge }
            return .needMoreBytes
        }
        headerBytes += end + 1 - lineStart
        let contentEnd = contentEnd(lineEnd: end)
        let line = buffer[lineStart..<contentEnd]
        startNextLine(after: end)

        guard let first = line.first else {
            return .end(contentLength: try finishHeaderSection())
        }
        if ASCII.isWhitespace(first) { throw .obsoleteLineFolding }
        if headers.count >= limits.maxHeaderCount { throw .tooManyHeaders }
        guard let colon = line.firstIndex(of: ASCII.colon) else { throw .invalidHeaderName }
        let name = line[..<colon]
        guard !name.isEmpty, name.allSatisfy(ASCII.isTokenByte) else { throw .invalidHeaderName }
        let value = ASCII.trimmingWhitespace(line[(colon + 1)...])
        guard value.allSatisfy(ASCII.isFieldValueByte) else { throw .invalidHeaderValue }
        headers.add(name: String(decoding: name, as: UTF8.self), value: String(decoding: value, as: UTF8.self))
        return .field
    }

    /// Validates the complete header section and returns the body length.
    private func finishHeaderSection() throws(HTTPParseError) -> Int {
        let hostCount = headers.values(for: "Host").count
        if hostCount > 1 { throw .multipleHost }
        if hostCount == 0, version >= .http1_1 { throw .missingHost }

        let contentLengths = headers.values(for: "Content-Length")
        if headers.contains(name: "Transfer-Encoding") {
            throw contentLengths.isEmpty ? .transferEncodingNotSupported : .transferEncodingWithContentLength
        }
        guard let contentLength = try ContentLength.parse(contentLengths) else { return 0 }
        guard contentLength <= limits.maxBodySize else { throw .bodyTooLarge }
        return contentLength
    }

    private mutating func completeRequest(body: [UInt8]) -> HTTPRequest {
        let request = HTTPRequest(method: method, target: target, version: version, headers: headers, body: body)
        messageStart = lineStart
        resetMessage()
        return request
    }

    /// Forgets the partly parsed message; parsing restarts at `messageStart`.
    private mutating func resetMessage() {
        lineStart = messageStart
        scanIndex = messageStart
        phase = .requestLine
        emptyLineBytes = 0
        headerBytes = 0
        method = .get
        target = ""
        version = .http1_1
        headers = HTTPHeaders()
    }

    // MARK: - Lines and buffer

    /// Looks for the LF ending the current line within its first `maxBytes` bytes,
    /// resuming at `scanIndex`. Returns the LF's index (nil if absent) and the end of the
    /// searched range.
    private mutating func lineEnd(maxBytes: Int) -> (end: Int?, bound: Int) {
        let bound = lineStart + min(max(maxBytes, 0), buffer.count - lineStart)
        guard scanIndex < bound else { return (nil, bound) }
        let found = buffer[scanIndex..<bound].firstIndex(of: ASCII.lf)
        scannedByteCount += (found.map { $0 + 1 } ?? bound) - scanIndex
        scanIndex = found ?? bound
        return (found, bound)
    }

    /// End of a line's content: before the LF at `lineEnd` and a CR right before it.
    private func contentEnd(lineEnd: Int) -> Int {
        lineEnd > lineStart && buffer[lineEnd - 1] == ASCII.cr ? lineEnd - 1 : lineEnd
    }

    private mutating func startNextLine(after lineEnd: Int) {
        lineStart = lineEnd + 1
        scanIndex = lineStart
    }

    /// Drops bytes before `messageStart` when that costs no more than the bytes dropped,
    /// which keeps appending amortized linear.
    private mutating func compact() {
        guard messageStart > 0 else { return }
        if messageStart == buffer.count {
            buffer.removeAll(keepingCapacity: buffer.capacity <= 64 * 1024)
        } else if messageStart >= buffer.count - messageStart {
            buffer.removeSubrange(..<messageStart)
        } else {
            return
        }
        lineStart -= messageStart
        scanIndex -= messageStart
        messageStart = 0
    }
}
