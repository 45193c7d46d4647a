import Glibc

/// A point on the monotonic clock (never jumps with the wall clock) by which a blocking
/// socket operation must be done.
public struct Deadline: Sendable, Hashable, Comparable {
    /// `CLOCK_MONOTONIC` nanoseconds.
    public var uptimeNanoseconds: UInt64

    public init(uptimeNanoseconds: UInt64) {
        self.uptimeNanoseconds = uptimeNanoseconds
    }

    public static var now: Deadline {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return Deadline(uptimeNanoseconds: UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec))
    }

    /// `milliseconds` from now (negative values mean now).
    public static func after(milliseconds: Int64) -> Deadline {
        Deadline(uptimeNanoseconds: now.uptimeNanoseconds &+ UInt64(max(milliseconds, 0)) * 1_000_000)
    }

    /// Milliseconds left, 0 once passed; capped for `poll`.
    var remainingMilliseconds: Int32 {
        let now = Deadline.now.uptimeNanoseconds
        guard uptimeNanoseconds > now else { return 0 }
        return Int32(min((uptimeNanoseconds - now + 999_999) / 1_000_000, UInt64(Int32.max)))
    }

    public static func < (lhs: Deadline, rhs: Deadline) -> Bool { lhs.uptimeNanoseconds < rhs.uptimeNanoseconds }
}
