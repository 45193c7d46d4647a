import CLinux
import CURing
import Glibc

/// An IPv4 or IPv6 socket address, parsed from `HOST:PORT` (`[::1]:8080` for IPv6).
public struct SocketAddress: Sendable, Equatable, CustomStringConvertible {
    public enum ParseError: Error, Sendable, Equatable, CustomStringConvertible {
        case missingPort(String)
        case badPort(String)
        case badHost(String)

        public var description: String {
            switch self {
            case .missingPort(let s): return "'\(s)' has no port: expected HOST:PORT"
            case .badPort(let s): return "'\(s)' has an invalid port: expected 0-65535"
            case .badHost(let s): return "'\(s)' is not an IP address or resolvable host name"
            }
        }
    }

    enum Storage: Sendable, Equatable {
        case v4(host: UInt32, port: UInt16)  // both in host byte order
        case v6(host: [UInt8], port: UInt16)
    }

    var storage: Storage

    public var port: UInt16 {
        switch storage {
        case .v4(_, let port), .v6(_, let port): return port
        }
    }

    public func withPort(_ port: UInt16) -> SocketAddress {
        switch storage {
        case .v4(let host, _): return SocketAddress(storage: .v4(host: host, port: port))
        case .v6(let host, _): return SocketAddress(storage: .v6(host: host, port: port))
        }
    }

    public var family: Int32 {
        switch storage {
        case .v4: return AF_INET
        case .v6: return AF_INET6
        }
    }

    public var host: String {
        switch storage {
        case .v4(let host, _):
            return "\(host >> 24).\((host >> 16) & 0xff).\((host >> 8) & 0xff).\(host & 0xff)"
        case .v6(let bytes, _):
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            bytes.withUnsafeBytes { raw in
                _ = inet_ntop(AF_INET6, raw.baseAddress, &buffer, socklen_t(buffer.count))
            }
            let length = buffer.firstIndex(of: 0) ?? buffer.count
            return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    public var description: String {
        switch storage {
        case .v4: return "\(host):\(port)"
        case .v6: return "[\(host)]:\(port)"
        }
    }

    /// Parses `HOST:PORT`. HOST may be an IPv4 literal, a bracketed IPv6 literal,
    /// or a name resolved once through getaddrinfo (start-up only: it blocks).
    public init(parsing text: String) throws(ParseError) {
        let hostPart: Substring
        let portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]") else { throw .badHost(text) }
            hostPart = text[text.index(after: text.startIndex)..<close]
            let rest = text[text.index(after: close)...]
            guard rest.hasPrefix(":") else { throw .missingPort(text) }
            portPart = rest.dropFirst()
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw .missingPort(text) }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
        }
        guard let port = UInt16(portPart) else { throw .badPort(text) }
        let host = hostPart.isEmpty ? "0.0.0.0" : String(hostPart)
        if let address = SocketAddress(numericHost: host, port: port) {
            self = address
            return
        }
        guard let resolved = SocketAddress.resolve(host: host, port: port) else { throw .badHost(text) }
        self = resolved
    }

    public init?(numericHost host: String, port: UInt16) {
        var v4 = in_addr()
        if inet_pton(AF_INET, host, &v4) == 1 {
            storage = .v4(host: UInt32(bigEndian: v4.s_addr), port: port)
            return
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, host, &v6) == 1 {
            let bytes = withUnsafeBytes(of: &v6) { Array($0) }
            storage = .v6(host: bytes, port: port)
            return
        }
        return nil
    }

    init(storage: Storage) {
        self.storage = storage
    }

    private static func resolve(host: String, port: UInt16) -> SocketAddress? {
        var hints = addrinfo()
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        var result: UnsafeMutablePointer<addrinfo>?
        guard getaddrinfo(host, nil, &hints, &result) == 0, let first = result else { return nil }
        defer { freeaddrinfo(result) }
        var node: UnsafeMutablePointer<addrinfo>? = first
        while let info = node {
            if let address = SocketAddress(sockaddr: info.pointee.ai_addr, port: port) { return address }
            node = info.pointee.ai_next
        }
        return nil
    }

    init?(sockaddr pointer: UnsafePointer<sockaddr>?, port overridePort: UInt16? = nil) {
        guard let pointer else { return nil }
        switch Int32(pointer.pointee.sa_family) {
        case AF_INET:
            let sin = UnsafeRawPointer(pointer).load(as: sockaddr_in.self)
            storage = .v4(
                host: UInt32(bigEndian: sin.sin_addr.s_addr),
                port: overridePort ?? UInt16(bigEndian: sin.sin_port))
        case AF_INET6:
            var sin6 = UnsafeRawPointer(pointer).load(as: sockaddr_in6.self)
            let bytes = withUnsafeBytes(of: &sin6.sin6_addr) { Array($0) }
            storage = .v6(host: bytes, port: overridePort ?? UInt16(bigEndian: sin6.sin6_port))
        default:
            return nil
        }
    }

    /// Calls `body` with this address as a `sockaddr` and its length.
    func withSockAddr<R>(_ body: (UnsafePointer<sockaddr>, socklen_t) throws(IOError) -> R) throws(IOError) -> R {
        switch storage {
        case .v4(let host, let port):
            var sin = sockaddr_in()
            sin.sin_family = sa_family_t(AF_INET)
            sin.sin_port = port.bigEndian
            sin.sin_addr.s_addr = host.bigEndian
            return try withUnsafePointer(to: &sin) { (p) throws(IOError) -> R in
                try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { (sp) throws(IOError) -> R in
                    try body(sp, socklen_t(MemoryLayout<sockaddr_in>.size))
                }
            }
        case .v6(let host, let port):
            var sin6 = sockaddr_in6()
            sin6.sin6_family = sa_family_t(AF_INET6)
            sin6.sin6_port = port.bigEndian
            withUnsafeMutableBytes(of: &sin6.sin6_addr) { raw in
                for (i, b) in host.enumerated() { raw[i] = b }
            }
            return try withUnsafePointer(to: &sin6) { (p) throws(IOError) -> R in
                try p.withMemoryRebound(to: sockaddr.self, capacity: 1) { (sp) throws(IOError) -> R in
                    try body(sp, socklen_t(MemoryLayout<sockaddr_in6>.size))
                }
            }
        }
    }
}
