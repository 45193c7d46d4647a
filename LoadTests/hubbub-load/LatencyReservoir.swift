/// One loop's round-trip times in nanoseconds: every sample up to `capacity`, then a
/// uniform random sample of all of them (reservoir sampling, Vitter's Algorithm R), so
/// memory stays bounded however long a run lasts. Count, sum and maximum are exact.
struct LatencyReservoir: Sendable {
    let capacity: Int
    private(set) var samples: [UInt64] = []
    /// Samples offered, kept or not.
    private(set) var count = 0
    private(set) var sum: UInt64 = 0
    private(set) var maximum: UInt64 = 0
    private var randomState: UInt64

    init(capacity: Int, seed: UInt64) {
        self.capacity = capacity
        self.randomState = seed | 1
        samples.reserveCapacity(min(capacity, 1 << 16))
    }

    mutating func add(_ nanoseconds: UInt64) {
        count += 1
        sum &+= nanoseconds
        maximum = max(maximum, nanoseconds)
        if samples.count < capacity {
            samples.append(nanoseconds)
            return
        }
        let slot = Int(nextRandom() % UInt64(count))
        if slot < capacity { samples[slot] = nanoseconds }
    }

    /// xorshift64*: fast, and plenty for choosing which sample to replace.
    private mutating func nextRandom() -> UInt64 {
        randomState ^= randomState >> 12
        randomState ^= randomState << 25
        randomState ^= randomState >> 27
        return randomState &* 0x2545_F491_4F6C_DD1D
    }
}
