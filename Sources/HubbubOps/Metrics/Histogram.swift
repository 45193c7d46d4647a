/// Observations counted into fixed buckets (Prometheus type `histogram`).
///
/// Each bucket is an atomic counter of the observations that fell into it (not
/// cumulative: one increment per observation); the exposition adds them up into the
/// cumulative `_bucket{le=...}` lines, so `_count` always equals the `+Inf` bucket.
/// The sum is a lock-free atomic double. `observe` takes no lock.
public final class Histogram: Sendable {
    /// The finite upper bounds, ascending; a last `+Inf` bucket is implicit.
    public let upperBounds: [Double]
    /// One per upper bound, then the `+Inf` bucket.
    private let buckets: [Counter]
    private let sum = AtomicDoubleSum()

    /// `upperBounds` must be finite and strictly ascending (a programming error otherwise).
    public init(upperBounds: [Double]) {
        precondition(upperBounds.allSatisfy(\.isFinite), "histogram bounds must be finite (+Inf is implicit)")
        precondition(zip(upperBounds, upperBounds.dropFirst()).allSatisfy { $0 < $1 }, "histogram bounds must ascend")
        self.upperBounds = upperBounds
        self.buckets = (0...upperBounds.count).map { _ in Counter() }
    }

    /// Records one observation: the first bucket whose bound is at least `value`
    /// (Prometheus' `le`, less than or equal).
    public func observe(_ value: Double) {
        var low = 0
        var high = upperBounds.count
        while low < high {
            let middle = (low + high) / 2
            if value <= upperBounds[middle] { high = middle } else { low = middle + 1 }
        }
        buckets[low].increment()
        sum.add(value)
    }

    /// Records a duration given in nanoseconds, in seconds.
    public func observe(nanoseconds: UInt64) {
        observe(Double(nanoseconds) / 1e9)
    }

    /// Records a duration, in seconds.
    public func observe(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        observe(Double(seconds) + Double(attoseconds) / 1e18)
    }

    /// A copy of the current state, cumulated as the exposition shows it.
    public var snapshot: HistogramSnapshot {
        var cumulative: [Int64] = []
        cumulative.reserveCapacity(buckets.count)
        var running: Int64 = 0
        for bucket in buckets {
            running += bucket.value
            cumulative.append(running)
        }
        return HistogramSnapshot(upperBounds: upperBounds, cumulativeCounts: cumulative, sum: sum.value)
    }
}

/// What a histogram held at one moment.
public struct HistogramSnapshot: Sendable, Equatable {
    /// The finite bounds; `cumulativeCounts` has one more entry, for `+Inf`.
    public var upperBounds: [Double]
    /// Observations at most each bound, then the total.
    public var cumulativeCounts: [Int64]
    public var sum: Double

    /// Every observation (the `+Inf` bucket).
    public var count: Int64 { cumulativeCounts.last ?? 0 }
}

extension Histogram {
    /// Seconds, from half a millisecond to ten seconds: request, store and fan-out latency.
    public static let latencyBuckets: [Double] = [
        0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]

    /// Bytes, powers of four from 1 KiB to 16 MiB: send queues and message sizes.
    public static let byteBuckets: [Double] = (0...7).map { Double(1024 << (2 * $0)) }

    /// `count` bounds, `start` then each `factor` times the one before.
    public static func exponentialBuckets(start: Double, factor: Double, count: Int) -> [Double] {
        precondition(start > 0 && factor > 1 && count >= 1, "exponential buckets need start > 0, factor > 1, count >= 1")
        var bounds: [Double] = [start]
        while bounds.count < count { bounds.append(bounds[bounds.count - 1] * factor) }
        return bounds
    }
}
