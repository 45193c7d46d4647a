import Glibc

/// A non-blocking pipe that wakes a broker thread out of `poll`: other threads call
/// ``wake()``, the thread polls ``readDescriptor`` and calls ``drain()``. Owns both
/// descriptors (closed by `deinit`). Sendable: the descriptors never change, and `write`
/// and `read` on them are safe from any thread.
final class WakePipe: Sendable {
    let readDescriptor: Int32
    private let writeDescriptor: Int32

    init() throws(BrokerError) {
        var fds: [Int32] = [-1, -1]
        // pipe2 is a GNU extension Glibc's module does not export: pipe, then fcntl.
        guard pipe(&fds) == 0 else {
            throw BrokerError(code: .unavailable, message: "pipe: errno \(errno)")
        }
        readDescriptor = fds[0]
        writeDescriptor = fds[1]
        for fd in fds {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
    }

    deinit {
        close(readDescriptor)
        close(writeDescriptor)
    }

    /// A full pipe (EAGAIN) already means "wake up"; nothing else can fail here.
    func wake() {
        var byte: UInt8 = 1
        while write(writeDescriptor, &byte, 1) < 0 && errno == EINTR {}
    }

    func drain() {
        var buffer = [UInt8](repeating: 0, count: 256)
        while true {
            let count = read(readDescriptor, &buffer, buffer.count)
            if count > 0 { continue }
            if count < 0 && errno == EINTR { continue }
            return
        }
    }
}
