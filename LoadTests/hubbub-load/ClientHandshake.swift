import HubbubHTTP

/// The client side of the RFC 6455 opening handshake, free of I/O: builds the upgrade
/// request, collects the response header block across reads, and checks it (status
/// 101, `Upgrade`, `Connection`, `Sec-WebSocket-Accept`, no extension, the
/// subprotocol). Only the bytes of the header block are kept, and only until it ends.
struct ClientHandshake {
    enum Outcome: Equatable {
        /// The header block is not complete yet.
        case needMoreData
        /// The server accepted; bytes of the last chunk from `bodyStart` on are
        /// WebSocket frames.
        case accepted(bodyStart: Int)
        /// The server refused, or answered something that is not a valid handshake.
        case rejected(String)
    }

    /// A response header block larger than this is refused.
    static let maxResponseBytes = 16 << 10

    private let expectedAccept: String
    private let subprotocol: String?
    private var buffer: [UInt8] = []

    /// - Parameters:
    ///   - key: the `Sec-WebSocket-Key` sent in the request.
    ///   - subprotocol: the subprotocol offered, if any.
    init(key: String, subprotocol: String?) {
        self.expectedAccept = WebSocketUpgrade.acceptValue(forKey: key)
        self.subprotocol = subprotocol
    }

    /// A fresh `Sec-WebSocket-Key`: base64 of 16 random bytes (RFC 6455 §4.1).
    static func makeKey(using random: inout some RandomNumberGenerator) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        for _ in 0..<2 {
            withUnsafeBytes(of: random.next() as UInt64) { bytes.append(contentsOf: $0) }
        }
        return Base64.encode(bytes)
    }

    /// The upgrade request for `target`, with `extraHeaders` (`Name: value`, e.g. an
    /// `Authorization` field) after the WebSocket ones.
    static func request(target: WebSocketURL, key: String, subprotocol: String?, extraHeaders: [String] = []) -> [UInt8] {
        var text = "GET \(target.requestTarget) HTTP/1.1\r\n"
        text += "Host: \(target.hostHeader)\r\n"
        text += "Upgrade: websocket\r\n"
        text += "Connection: Upgrade\r\n"
        text += "Sec-WebSocket-Key: \(key)\r\n"
        text += "Sec-WebSocket-Version: 13\r\n"
        if let subprotocol { text += "Sec-WebSocket-Protocol: \(subprotocol)\r\n" }
        for header in extraHeaders { text += header + "\r\n" }
        text += "User-Agent: hubbub-load\r\n\r\n"
        return Array(text.utf8)
    }

    /// Feeds the next bytes received.
    mutating func receive(_ bytes: UnsafeRawBufferPointer) -> Outcome {
        let searchFrom = max(0, buffer.count - 3)
        buffer.append(contentsOf: bytes)
        guard let end = Self.endOfHeaders(in: buffer, from: searchFrom) else {
            if buffer.count > Self.maxResponseBytes {
                return .rejected("handshake response header larger than \(Self.maxResponseBytes) bytes")
            }
            return .needMoreData
        }
        // Earlier chunks held no terminator, so everything past it came in this one.
        let bodyStart = bytes.count - (buffer.count - end)
        let response = HandshakeResponse(parsing: buffer[..<end])
        buffer = []
        if let problem = response.problem(expectedAccept: expectedAccept, subprotocol: subprotocol) {
            return .rejected(problem)
        }
        return .accepted(bodyStart: bodyStart)
    }

    /// The index just past the first CRLF CRLF at or after `start`.
    private static func endOfHeaders(in bytes: [UInt8], from start: Int) -> Int? {
        guard bytes.count >= 4 else { return nil }
        var index = start
        while index + 4 <= bytes.count {
            if bytes[index] == 0x0D, bytes[index + 1] == 0x0A, bytes[index + 2] == 0x0D, bytes[index + 3] == 0x0A {
                return index + 4
            }
            index += 1
        }
        return nil
    }
}
