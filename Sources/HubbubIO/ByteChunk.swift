import CLinux
import CURing
import Glibc

/// Immutable bytes to send, encoded once and shared by every recipient.
///
/// A fan-out encodes a frame into one `ByteChunk` and hands the same object to
/// every connection; the send queues gather the chunks straight into `iovec`s,
/// so no recipient copies or re-encodes anything.
///
/// Why `@unchecked Sendable` is safe here: the memory behind `base` is
/// allocated and written only inside `init`, never mutated afterwards (the
/// class is final and exposes no mutating API), and freed only in `deinit`,
/// when no reference can remain. Concurrent reads of immutable memory from any
/// thread are race-free. The pointer itself never leaves this module except as
/// a read-only, scoped `UnsafeRawBufferPointer`. It is stored as a raw pointer
/// (not an Array) because an in-flight io_uring send needs an address that
/// stays valid until its completion arrives, which an Array cannot promise.
public final class ByteChunk: @unchecked Sendable {
    let base: UnsafeMutableRawPointer
    public let count: Int

    /// Copies `bytes`.
    public convenience init(_ bytes: [UInt8]) {
        self.init(count: bytes.count) { out in
            bytes.withUnsafeBytes { out.copyMemory(from: $0) }
        }
    }

    /// Copies `bytes`.
    public convenience init(_ bytes: UnsafeRawBufferPointer) {
        self.init(count: bytes.count) { out in
            if bytes.count > 0 { out.copyMemory(from: bytes) }
        }
    }

    /// Allocates `count` bytes and lets `initialize` fill every one of them, once.
    public init(count: Int, initialize: (UnsafeMutableRawBufferPointer) -> Void) {
        precondition(count >= 0)
        self.count = count
        self.base = UnsafeMutableRawPointer.allocate(byteCount: max(count, 1), alignment: 16)
        initialize(UnsafeMutableRawBufferPointer(start: base, count: count))
    }

    deinit {
        base.deallocate()
    }

    public func withUnsafeBytes<R>(_ body: (UnsafeRawBufferPointer) throws -> R) rethrows -> R {
        try body(UnsafeRawBufferPointer(start: base, count: count))
    }

    public var bytes: [UInt8] {
        withUnsafeBytes { Array($0) }
    }
}
