/// The status line and header fields of a handshake response, and the RFC 6455 §4.1
/// checks a client makes on them.
struct HandshakeResponse {
    /// The status code, or nil when the status line is not `HTTP/1.x NNN ...`.
    private(set) var status: Int?
    private(set) var statusLine = ""
    private(set) var fields: [(name: String, value: String)] = []

    /// Parses a header block (status line, fields, the blank line).
    init(parsing block: ArraySlice<UInt8>) {
        var lines = block.split(separator: 0x0A, omittingEmptySubsequences: false).map { line in
            String(decoding: line.last == 0x0D ? line.dropLast() : line, as: UTF8.self)
        }
        guard !lines.isEmpty else { return }
        statusLine = lines.removeFirst()
        let parts = statusLine.split(separator: " ", maxSplits: 2)
        if parts.count >= 2, parts[0].hasPrefix("HTTP/1.") {
            status = Int(parts[1])
        }
        for line in lines where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { continue }
            let name = String(line[..<colon])
            let value = line[line.index(after: colon)...].trimmingSpaces()
            fields.append((name, value))
        }
    }

    /// Every value of the field `name` (case-insensitive).
    func values(_ name: String) -> [String] {
        let lowered = name.lowercased()
        return fields.filter { $0.name.lowercased() == lowered }.map(\.value)
    }

    /// Whether a comma-separated list in the field `name` holds `token` (case-insensitive).
    func containsToken(_ token: String, in name: String) -> Bool {
        values(name).contains { value in
            value.split(separator: ",").contains { $0.trimmingSpaces().lowercased() == token }
        }
    }

    /// Why this response does not complete the handshake, or nil when it does.
    func problem(expectedAccept: String, subprotocol: String?) -> String? {
        guard let status else { return "not an HTTP/1.x response: \(statusLine.prefix(80))" }
        guard status == 101 else { return "server answered \(statusLine.dropFirst(9).prefix(80)) instead of 101" }
        guard containsToken("websocket", in: "Upgrade") else { return "101 response without Upgrade: websocket" }
        guard containsToken("upgrade", in: "Connection") else { return "101 response without Connection: Upgrade" }
        let accepts = values("Sec-WebSocket-Accept")
        guard accepts == [expectedAccept] else {
            return accepts.isEmpty ? "101 response without Sec-WebSocket-Accept" : "Sec-WebSocket-Accept does not match the key sent"
        }
        guard values("Sec-WebSocket-Extensions").isEmpty else {
            return "server chose an extension that was not offered: \(values("Sec-WebSocket-Extensions"))"
        }
        let protocols = values("Sec-WebSocket-Protocol")
        if !protocols.isEmpty, protocols != [subprotocol].compactMap({ $0 }) {
            return "server chose subprotocol \(protocols) but \(subprotocol.map { "'\($0)'" } ?? "none") was offered"
        }
        return nil
    }
}
