import CLinux
import CURing
import Glibc

/// Socket set-up helpers. Descriptors are plain `Int32`s owned by whoever
/// created them: a `Listener` owns its listening socket, a `Connection` its
/// connected one, and each closes exactly once.
enum Socket {
    /// A non-blocking listening socket. `reusePort` lets each event loop bind its
    /// own socket to the same port so the kernel spreads connections across loops.
    static func listen(_ address: SocketAddress, backlog: Int32, reusePort: Bool, nonBlocking: Bool) throws(IOError) -> Int32 {
        let type = Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue) | (nonBlocking ? Int32(SOCK_NONBLOCK.rawValue) : 0)
        let fd = try Syscall.check("socket") { socket(address.family, type, 0) }
        do {
            try setOption(fd, SOL_SOCKET, SO_REUSEADDR, 1)
            if reusePort { try setOption(fd, SOL_SOCKET, SO_REUSEPORT, 1) }
            _ = try address.withSockAddr { (sa, len) throws(IOError) in
                try Syscall.check("bind \(address)") { bind(fd, sa, len) }
            }
            try Syscall.check("listen") { Glibc.listen(fd, backlog) }
            return fd
        } catch {
            close(fd)
            throw error
        }
    }

    /// Starts a non-blocking connect. Returns the descriptor and whether the
    /// connection is already established (loopback often completes at once).
    static func startConnect(_ address: SocketAddress) throws(IOError) -> (fd: Int32, connected: Bool) {
        let fd = try Syscall.check("socket") {
            socket(address.family, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        }
        do {
            try setOption(fd, Int32(IPPROTO_TCP), TCP_NODELAY, 1)
            let connected: Bool = try address.withSockAddr { (sa, len) throws(IOError) -> Bool in
                while true {
                    if connect(fd, sa, len) == 0 { return true }
                    let code = errno
                    if code == EINTR { continue }
                    if code == EINPROGRESS { return false }
                    throw IOError("connect \(address)", errno: code)
                }
            }
            return (fd, connected)
        } catch {
            close(fd)
            throw error
        }
    }

    /// The pending error of a socket (`SO_ERROR`), 0 if none.
    static func pendingError(_ fd: Int32) -> Int32 {
        var value: Int32 = 0
        var length = socklen_t(MemoryLayout<Int32>.size)
        if getsockopt(fd, SOL_SOCKET, SO_ERROR, &value, &length) != 0 { return errno }
        return value
    }

    static func setBlocking(_ fd: Int32) {
        let flags = fcntl(fd, F_GETFL)
        if flags >= 0 { _ = fcntl(fd, F_SETFL, flags & ~O_NONBLOCK) }
    }

    static func configureAccepted(_ fd: Int32) {
        // TCP_NODELAY: frames are gathered by the send queue, so Nagle only adds latency.
        var one: Int32 = 1
        _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
    }

    static func setOption(_ fd: Int32, _ level: Int32, _ name: Int32, _ value: Int32) throws(IOError) {
        var v = value
        try Syscall.check("setsockopt") { setsockopt(fd, level, name, &v, socklen_t(MemoryLayout<Int32>.size)) }
    }

    static func localAddress(_ fd: Int32) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        return withUnsafeMutablePointer(to: &storage) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sp in
                getsockname(fd, sp, &length) == 0 ? SocketAddress(sockaddr: sp) : nil
            }
        }
    }

    static func peerAddress(_ fd: Int32) -> SocketAddress? {
        var storage = sockaddr_storage()
        var length = socklen_t(MemoryLayout<sockaddr_storage>.size)
        return withUnsafeMutablePointer(to: &storage) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sp in
                getpeername(fd, sp, &length) == 0 ? SocketAddress(sockaddr: sp) : nil
            }
        }
    }
}
