import CLinux
import CURing
import Glibc

/// A failed system call: which call, and the errno it returned.
public struct IOError: Error, Sendable, Equatable, CustomStringConvertible {
    public var function: String
    public var errnoCode: Int32

    public init(_ function: String, errno: Int32) {
        self.function = function
        self.errnoCode = errno
    }

    public var description: String {
        "\(function): \(String(cString: strerror(errnoCode))) (errno \(errnoCode))"
    }
}

/// System call wrappers in one place: they retry `EINTR` and throw a typed
/// `IOError` for everything else, so callers never read `errno` themselves.
enum Syscall {
    @discardableResult
    static func check<T: BinaryInteger>(_ function: String, _ body: () -> T) throws(IOError) -> T {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = errno
            if code == EINTR { continue }
            throw IOError(function, errno: code)
        }
    }

    /// Like `check`, for calls on non-blocking descriptors: nil means "would block".
    static func nonBlocking<T: BinaryInteger>(_ function: String, _ body: () -> T) throws(IOError) -> T? {
        while true {
            let result = body()
            if result >= 0 { return result }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return nil }
            throw IOError(function, errno: code)
        }
    }
}
