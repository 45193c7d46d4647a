/// Size limits the request parser enforces while bytes arrive.
///
/// Every limit is checked as soon as it can be known to be exceeded, so a client that
/// trickles an endless request line or header section (slowloris) fails early instead of
/// making the parser buffer unbounded bytes. As long as ``HTTPRequestParser/next()`` is
/// called after each ``HTTPRequestParser/append(_:)-([UInt8])``, the parser holds at most
/// about `maxRequestLineLength + maxHeaderBytes + maxBodySize` bytes of one request.
///
/// Status codes reported through ``HTTPParseError/status`` when a limit is exceeded:
/// - `maxRequestLineLength`: **414 URI Too Long**. The request line is almost entirely the
///   request-target, and RFC 9112 section 3 names 414 for a target longer than the server
///   wishes to parse. Empty lines that precede a request line are tolerated (RFC 9112
///   section 2.2) but their total size is bounded by this same limit; exceeding it that
///   way is a **400 Bad Request**.
/// - `maxHeaderCount`: **431 Request Header Fields Too Large**.
/// - `maxHeaderBytes`: **431 Request Header Fields Too Large**.
/// - `maxBodySize`: **413 Content Too Large**, reported from the `Content-Length` value
///   before any body byte is read.
public struct HTTPLimits: Sendable, Equatable {
    /// Longest accepted request line in bytes, excluding its line terminator.
    public var maxRequestLineLength: Int
    /// Most header field lines accepted in one request.
    public var maxHeaderCount: Int
    /// Largest accepted header section in bytes: every field line including its line
    /// terminator, plus the terminator of the empty line that ends the section.
    public var maxHeaderBytes: Int
    /// Largest accepted request body in bytes.
    public var maxBodySize: Int

    /// Creates limits; every value must be zero or positive.
    public init(
        maxRequestLineLength: Int = 8192,
        maxHeaderCount: Int = 100,
        maxHeaderBytes: Int = 16384,
        maxBodySize: Int = 1 << 20
    ) {
        precondition(maxRequestLineLength >= 0, "maxRequestLineLength must not be negative")
        precondition(maxHeaderCount >= 0, "maxHeaderCount must not be negative")
        precondition(maxHeaderBytes >= 0, "maxHeaderBytes must not be negative")
        precondition(maxBodySize >= 0, "maxBodySize must not be negative")
        self.maxRequestLineLength = maxRequestLineLength
        self.maxHeaderCount = maxHeaderCount
        self.maxHeaderBytes = maxHeaderBytes
        self.maxBodySize = maxBodySize
    }
}
