/// When to give up and how long to wait between attempts: exponential backoff, capped,
/// with up to 20% jitter taken off so that digests failing together spread out.
public struct RetryPolicy: Sendable, Hashable {
    /// Attempts per notification before it is dead-lettered (>= 1): the attempt that
    /// reaches it and fails transiently dead-letters instead of retrying.
    public var maxAttempts: Int
    /// The wait after the first failed attempt (ms).
    public var initialBackoff: Int64
    /// The longest wait (ms).
    public var maxBackoff: Int64

    public init(maxAttempts: Int = 8, initialBackoff: Int64 = 30_000, maxBackoff: Int64 = 3_600_000) {
        self.maxAttempts = max(maxAttempts, 1)
        self.initialBackoff = max(initialBackoff, 0)
        self.maxBackoff = max(maxBackoff, self.initialBackoff)
    }

    /// The wait after attempt number `attempt` (1 = the first) failed:
    /// `min(maxBackoff, initialBackoff * 2^(attempt-1))`, less `jitter * 20%`
    /// (`jitter` in 0..<1; 0 gives the exact exponential value).
    public func backoff(afterAttempt attempt: Int, jitter: Double = 0) -> Int64 {
        let exponent = min(max(attempt - 1, 0), 40)
        let (scaled, overflow) = initialBackoff.multipliedReportingOverflow(by: Int64(1) << Int64(exponent))
        let delay = overflow ? maxBackoff : min(scaled, maxBackoff)
        let cut = Int64(Double(delay) * 0.2 * min(max(jitter, 0), 0.999_999))
        return delay - cut
    }
}
