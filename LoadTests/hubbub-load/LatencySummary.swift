/// Percentiles of the round-trip times of a run (nearest-rank on the kept samples; the
/// count, mean and maximum are exact over every echo).
struct LatencySummary: Sendable {
    var count: Int
    var samples: Int
    var mean: Double
    var p50: UInt64
    var p90: UInt64
    var p99: UInt64
    var p999: UInt64
    var max: UInt64

    /// Nil when no echo was timed. Samples of several loops are pooled as they are (each
    /// loop's reservoir is uniform over that loop; loops see similar traffic).
    init?(_ reservoirs: [LatencyReservoir]) {
        let count = reservoirs.reduce(0) { $0 + $1.count }
        guard count > 0 else { return nil }
        var pooled = reservoirs.flatMap(\.samples)
        pooled.sort()
        func percentile(_ fraction: Double) -> UInt64 {
            let rank = Int((fraction * Double(pooled.count)).rounded(.up))
            return pooled[Swift.min(Swift.max(rank, 1), pooled.count) - 1]
        }
        self.count = count
        self.samples = pooled.count
        self.mean = reservoirs.reduce(0.0) { $0 + Double($1.sum) } / Double(count)
        self.p50 = percentile(0.50)
        self.p90 = percentile(0.90)
        self.p99 = percentile(0.99)
        self.p999 = percentile(0.999)
        self.max = reservoirs.map(\.maximum).max() ?? 0
    }
}
