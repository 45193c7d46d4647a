import CLinux
import CURing
import Glibc

/// The process's open-file limit, raised at start-up as far as the hard limit allows.
public enum FileDescriptorLimit {
    public struct Outcome: Sendable, Equatable {
        public var previous: UInt64
        public var current: UInt64
        public var hard: UInt64
    }

    /// Raises the soft RLIMIT_NOFILE to `wanted` (or the hard limit if lower).
    @discardableResult
    public static func raise(to wanted: UInt64 = .max) -> Outcome {
        var limit = rlimit()
        getrlimit(RLIMIT_NOFILE_VALUE, &limit)
        let previous = UInt64(limit.rlim_cur)
        let hard = UInt64(limit.rlim_max)
        let target = min(wanted, hard)
        if target > previous {
            var raised = limit
            raised.rlim_cur = rlim_t(target)
            if setrlimit(RLIMIT_NOFILE_VALUE, &raised) == 0 {
                return Outcome(previous: previous, current: target, hard: hard)
            }
        }
        return Outcome(previous: previous, current: previous, hard: hard)
    }

    public static var current: UInt64 {
        var limit = rlimit()
        getrlimit(RLIMIT_NOFILE_VALUE, &limit)
        return UInt64(limit.rlim_cur)
    }

    // Glibc imports RLIMIT_NOFILE as an enum case on some versions and an Int32 on others.
    private static var RLIMIT_NOFILE_VALUE: __rlimit_resource_t {
        __rlimit_resource_t(RLIMIT_NOFILE.rawValue)
    }
}
