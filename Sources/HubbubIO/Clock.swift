import CLinux
import CURing
import Glibc

/// Monotonic time in nanoseconds. Every timeout in Hubbub is expressed on this
/// clock, and the I/O-free state machines receive it as a plain `UInt64`.
public enum MonotonicClock {
    @inline(__always)
    public static func now() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) &* 1_000_000_000 &+ UInt64(ts.tv_nsec)
    }
}

extension UInt64 {
    /// Seconds (fractions allowed) as nanoseconds; negative or NaN become zero.
    public static func nanoseconds(seconds: Double) -> UInt64 {
        guard seconds.isFinite, seconds > 0 else { return 0 }
        return UInt64(seconds * 1_000_000_000)
    }
}
