import Glibc

/// The one owner of a TCP socket to the SMTP server; `deinit` closes it.
///
/// The descriptor is non-blocking and every wait is a `poll` bounded by a
/// ``Deadline``, so a silent server can never hold the calling thread past it. The
/// calling thread is always a mail worker thread (``BlockingWorker``), never an event
/// loop or a Swift concurrency thread. Sends use `MSG_NOSIGNAL`; TLS writes through
/// OpenSSL's socket BIO rely on SIGPIPE being ignored by the process (the hubbub
/// commands do so at start).
final class SMTPSocket {
    let descriptor: Int32

    private init(owning descriptor: Int32) {
        self.descriptor = descriptor
    }

    deinit {
        Glibc.close(descriptor)
    }

    /// Resolves `host` and connects to the first address that answers before `deadline`.
    static func connect(host: String, port: Int, deadline: Deadline) throws(SMTPError) -> SMTPSocket {
        var hints = addrinfo()
        hints.ai_family = AF_UNSPEC
        hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
        hints.ai_flags = AI_ADDRCONFIG
        var list: UnsafeMutablePointer<addrinfo>?
        let rc = getaddrinfo(host, String(port), &hints, &list)
        guard rc == 0, let list else {
            throw .connection("cannot resolve \(host): \(String(cString: gai_strerror(rc)))", at: .connect)
        }
        defer { freeaddrinfo(list) }
        var lastError = "no address"
        var entry: UnsafeMutablePointer<addrinfo>? = list
        while let info = entry {
            entry = info.pointee.ai_next
            let fd = socket(
                info.pointee.ai_family, info.pointee.ai_socktype | Int32(SOCK_NONBLOCK.rawValue | SOCK_CLOEXEC.rawValue),
                info.pointee.ai_protocol)
            guard fd >= 0 else {
                lastError = "socket: \(Self.errorText(errno))"
                continue
            }
            let socket = SMTPSocket(owning: fd)
            if Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen) == 0 { return socket }
            guard errno == EINPROGRESS else {
                lastError = Self.errorText(errno)
                continue
            }
            do throws(SMTPError) {
                try socket.wait(for: Int16(POLLOUT), until: deadline)
            } catch {
                throw error.at(.connect)
            }
            var status: Int32 = 0
            var length = socklen_t(MemoryLayout<Int32>.size)
            getsockopt(fd, SOL_SOCKET, SO_ERROR, &status, &length)
            if status == 0 {
                var one: Int32 = 1
                setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                return socket
            }
            lastError = Self.errorText(status)
        }
        throw .connection("\(host):\(port): \(lastError)", at: .connect)
    }

    /// Reads what is available (waiting until `deadline` for something); 0 at EOF.
    func read(into buffer: UnsafeMutableRawBufferPointer, until deadline: Deadline) throws(SMTPError) -> Int {
        while true {
            let n = recv(descriptor, buffer.baseAddress, buffer.count, 0)
            if n >= 0 { return n }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: try wait(for: Int16(POLLIN), until: deadline)
            default: throw .connection("read: \(Self.errorText(errno))")
            }
        }
    }

    /// Writes all of `bytes` before `deadline`.
    func writeAll(_ bytes: [UInt8], until deadline: Deadline) throws(SMTPError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                send(descriptor, raw.baseAddress! + offset, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n >= 0 {
                offset += n
                continue
            }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: try wait(for: Int16(POLLOUT), until: deadline)
            default: throw .connection("write: \(Self.errorText(errno))")
            }
        }
    }

    /// Blocks until the socket is ready for `events` (`POLLIN`, `POLLOUT`) or `deadline`
    /// passes (``SMTPError/timeout(at:)``).
    func wait(for events: Int16, until deadline: Deadline) throws(SMTPError) {
        while true {
            let timeout = deadline.remainingMilliseconds
            guard timeout > 0 else { throw .timeout(at: nil) }
            var entry = pollfd(fd: descriptor, events: events, revents: 0)
            let rc = poll(&entry, 1, timeout)
            if rc > 0 { return }  // ready, or an error/hang-up the next call reports
            if rc == 0 { throw .timeout(at: nil) }
            if errno != EINTR { throw .connection("poll: \(Self.errorText(errno))") }
        }
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }
}
