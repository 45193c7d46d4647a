import HubbubIO

/// A `ws://HOST[:PORT]/PATH` URL, split into what the client needs: the address to
/// connect to, the `Host` header and the request target. `wss://` is refused: the load
/// generator speaks plain TCP only.
struct WebSocketURL: Sendable, CustomStringConvertible {
    /// Where to connect (a host name is resolved once, here).
    let address: SocketAddress
    /// The authority as written, for the `Host` header.
    let hostHeader: String
    /// The path and query, `/` when the URL has none.
    let requestTarget: String
    /// The URL as given.
    let description: String

    init(parsing text: String) throws(LoadError) {
        let lowercased = text.lowercased()
        if lowercased.hasPrefix("wss://") {
            throw LoadError("--url \(text): wss:// (TLS) is not supported, use ws://")
        }
        guard lowercased.hasPrefix("ws://") else {
            throw LoadError("--url \(text): expected ws://HOST:PORT/PATH")
        }
        let rest = text.dropFirst(5)
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        let authority = String(rest[..<authorityEnd])
        var target = String(rest[authorityEnd...])
        if let fragment = target.firstIndex(of: "#") { target = String(target[..<fragment]) }
        if target.isEmpty { target = "/" }
        if target.hasPrefix("?") { target = "/" + target }
        guard !authority.isEmpty, !authority.hasPrefix(":"), !authority.contains("@") else {
            throw LoadError("--url \(text): expected ws://HOST:PORT/PATH (no user info, a host is required)")
        }
        guard target.utf8.allSatisfy({ $0 > 0x20 && $0 < 0x7F }) else {
            throw LoadError("--url \(text): the path must be percent-encoded ASCII without spaces")
        }
        let hasPort = authority.hasPrefix("[") ? authority.contains("]:") : authority.contains(":")
        do {
            address = try SocketAddress(parsing: hasPort ? authority : authority + ":80")
        } catch {
            throw LoadError("--url \(text): \(error)")
        }
        hostHeader = authority
        requestTarget = target
        description = text
    }
}
