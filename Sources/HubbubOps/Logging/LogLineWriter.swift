import Glibc
import Synchronization

/// Where formatted log lines go. Each call carries one complete line, newline included.
public protocol LogLineWriter: Sendable {
    func write(line: [UInt8])
}

/// Writes lines to a file descriptor (standard error by default) with one `write(2)`
/// per line. A lock makes each line whole even when the kernel takes it in parts (a
/// full pipe, a signal): no two lines interleave. `EINTR` is retried; on `EAGAIN` (a
/// non-blocking descriptor) it waits for the descriptor up to 100 ms, then drops the rest
/// of the line; other errors drop the line (there is nowhere left to report them).
public final class FileDescriptorLogWriter: LogLineWriter {
    private let descriptor: Int32
    private let lock = Mutex<Void>(())

    /// Does not take ownership: the descriptor is never closed.
    public init(descriptor: Int32 = STDERR_FILENO) {
        self.descriptor = descriptor
    }

    public func write(line: [UInt8]) {
        lock.withLock { _ in
            line.withUnsafeBytes { bytes in
                var offset = 0
                while offset < bytes.count {
                    let written = Glibc.write(descriptor, bytes.baseAddress! + offset, bytes.count - offset)
                    if written > 0 {
                        offset += written
                    } else if written < 0, errno == EINTR {
                        continue
                    } else if written < 0, errno == EAGAIN || errno == EWOULDBLOCK {
                        var entry = pollfd(fd: descriptor, events: Int16(POLLOUT), revents: 0)
                        guard poll(&entry, 1, 100) > 0 else { return }
                    } else {
                        return
                    }
                }
            }
        }
    }
}

/// Keeps lines in memory, for tests.
public final class MemoryLogWriter: LogLineWriter {
    private let storage = Mutex<[[UInt8]]>([])

    public init() {}

    public func write(line: [UInt8]) {
        storage.withLock { $0.append(line) }
    }

    /// Every line so far, newline removed.
    public var lines: [String] {
        storage.withLock { $0 }.map { String(decoding: $0.last == 0x0A ? $0.dropLast() : $0[...], as: UTF8.self) }
    }
}
