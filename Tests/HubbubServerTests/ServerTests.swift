import Glibc
import HubbubHTTP
import HubbubIO
import HubbubServer
import Logging
import Testing

/// A blocking loopback client: sends `request`, returns what arrives until the
/// server closes (or `timeout` seconds pass).
private func exchange(port: UInt16, _ request: [UInt8], timeout: Int = 5) -> [UInt8] {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var tv = timeval(tv_sec: timeout, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
    var addr = sockaddr_in()
    addr.sin_family = sa_family_t(AF_INET)
    addr.sin_port = port.bigEndian
    addr.sin_addr.s_addr = inet_addr("127.0.0.1")
    let rc = withUnsafePointer(to: &addr) {
        $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
    }
    guard rc == 0 else { return [] }
    _ = request.withUnsafeBytes { send(fd, $0.baseAddress, $0.count, 0) }
    var out: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = recv(fd, &buffer, buffer.count, 0)
        if n < 0 && errno == EINTR { continue }  // the test process takes signals of its own
        if n <= 0 { break }
        out += buffer[0..<n]
    }
    return out
}

@Suite(.serialized) struct ServerTests {
    static func start(_ backend: IOBackendChoice, _ configure: (inout ServerConfiguration) -> Void = { _ in }) throws -> Server {
        var config = ServerConfiguration()
        config.listen = SocketAddress(numericHost: "127.0.0.1", port: 0)!
        config.io = backend
        config.threads = 2
        config.echo = true
        configure(&config)
        return try Server(configuration: config, logger: Logger(label: "test"))
    }

    @Test(arguments: [IOBackendChoice.uring, .epoll])
    func answersHTTPAndUpgradesOnEveryBackend(backend: IOBackendChoice) async throws {
        if backend == .uring, IOBackendProbe.uringUnavailableReason() != nil { return }
        let server = try Self.start(backend)
        let port = server.boundAddress.port
        #expect(port != 0)
        let health = String(decoding: exchange(port: port, Array("GET /healthz HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".utf8)), as: UTF8.self)
        #expect(health.hasPrefix("HTTP/1.1 200 OK\r\n"))
        #expect(health.hasSuffix(#"{"status":"ok"}"#))

        let missing = String(decoding: exchange(port: port, Array("GET /x HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n".utf8)), as: UTF8.self)
        #expect(missing.hasPrefix("HTTP/1.1 404 "))

        // An upgrade followed at once by a masked text frame "hi" and a close:
        // the 101, the echo and the close reply arrive, then the server closes.
        let key = "dGhlIHNhbXBsZSBub25jZQ=="
        var bytes = Array("GET /echo HTTP/1.1\r\nHost: t\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: \(key)\r\nSec-WebSocket-Version: 13\r\n\r\n".utf8)
        let mask: [UInt8] = [1, 2, 3, 4]
        bytes += [0x81, 0x82] + mask + [UInt8(ascii: "h") ^ 1, UInt8(ascii: "i") ^ 2]
        bytes += [0x88, 0x82] + mask + [0x03 ^ 1, 0xE8 ^ 2]
        let reply = exchange(port: port, bytes)
        let text = String(decoding: reply, as: UTF8.self)
        #expect(text.hasPrefix("HTTP/1.1 101 "))
        #expect(text.contains("Sec-WebSocket-Accept: \(WebSocketUpgrade.acceptValue(forKey: key))\r\n"))
        let body = Array(reply.split(separator: 0x0A, omittingEmptySubsequences: false).last ?? [])
        #expect(body == [0x81, 0x02, UInt8(ascii: "h"), UInt8(ascii: "i"), 0x88, 0x02, 0x03, 0xE8])

        server.shutdownGracefully()
        #expect(server.connectionCount == 0)
    }

    @Test func overTheConnectionLimitGets503() async throws {
        let server = try Self.start(.epoll) { $0.maxConnections = 0 }
        defer { server.shutdownGracefully() }
        let reply = String(decoding: exchange(port: server.boundAddress.port, Array("GET /healthz HTTP/1.1\r\nHost: t\r\n\r\n".utf8)), as: UTF8.self)
        #expect(reply.hasPrefix("HTTP/1.1 503 "))
        #expect(reply.contains("too_many_connections"))
    }
}
