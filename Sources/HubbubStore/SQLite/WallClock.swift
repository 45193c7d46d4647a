import Glibc

/// The real-time clock, for bookkeeping columns only (`applied_at`, `updated_at`);
/// event times always come from the commands.
public enum WallClock {
    public static func nowMillis() -> Int64 {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Int64(ts.tv_sec) * 1000 + Int64(ts.tv_nsec) / 1_000_000
    }
}
