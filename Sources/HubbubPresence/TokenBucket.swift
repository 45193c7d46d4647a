/// A token bucket rate limiter on injected monotonic time, in integer nanoseconds.
///
/// The bucket holds at most `burst` tokens and earns one every `interval` nanoseconds; each
/// allowed action spends one. It starts full. It is kept as a single "theoretical arrival
/// time" (the GCRA formulation of a token bucket), so the state is one integer, the
/// arithmetic is exact, and ``Decision/limited(retryAfter:)`` is the exact wait until a
/// token is available. A refused action changes nothing.
///
/// Time values that go backwards are tolerated: the bucket never refills for them.
public struct TokenBucket: Sendable, Hashable {
    /// What ``consume(now:)`` decided.
    public enum Decision: Sendable, Hashable {
        /// A token was spent.
        case allowed
        /// No token: one becomes available after `retryAfter` nanoseconds.
        case limited(retryAfter: UInt64)
    }

    /// Nanoseconds to earn one token.
    public let interval: UInt64
    /// The most tokens the bucket holds, and so the longest run of actions allowed at once.
    public let burst: Int

    /// When the bucket will be full again if nothing more is spent (`<= now`: it is full).
    private var fullAt: UInt64 = 0

    /// A full bucket earning one token every `interval` nanoseconds (at least 1).
    public init(interval: UInt64, burst: Int) {
        precondition(interval > 0, "TokenBucket interval must be positive")
        precondition(burst >= 1, "TokenBucket burst must be at least 1")
        self.interval = interval
        self.burst = burst
    }

    /// A full bucket earning `ratePerSecond` tokens a second, the interval rounded to the
    /// nearest nanosecond (exact for rates that divide 10^9, such as 1, 2, 4, 5, 10, 20).
    public init(ratePerSecond: Double, burst: Int) {
        precondition(ratePerSecond > 0 && ratePerSecond.isFinite, "TokenBucket rate must be positive")
        let interval = (1_000_000_000 / ratePerSecond).rounded()
        self.init(interval: interval >= Double(UInt64.max) ? UInt64.max : max(1, UInt64(interval)), burst: burst)
    }

    /// Spends a token at `now` if one is available.
    public mutating func consume(now: UInt64) -> Decision {
        let spentUntil = Self.add(max(fullAt, now), interval)
        let limit = Self.add(now, capacity)
        guard spentUntil <= limit else { return .limited(retryAfter: spentUntil - limit) }
        fullAt = spentUntil
        return .allowed
    }

    /// The whole tokens available at `now`, between 0 and `burst`.
    public func availableTokens(now: UInt64) -> Int {
        let owed = max(fullAt, now) - now
        let missing = owed / interval + (owed % interval == 0 ? 0 : 1)
        return burst - Int(min(missing, UInt64(burst)))
    }

    /// `burst * interval`: how far ahead of `now` the bucket may be spent.
    private var capacity: UInt64 {
        let (product, overflow) = UInt64(burst).multipliedReportingOverflow(by: interval)
        return overflow ? UInt64.max : product
    }

    private static func add(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (sum, overflow) = a.addingReportingOverflow(b)
        return overflow ? UInt64.max : sum
    }
}
