import HubbubPresence
import Testing

@Suite struct TokenBucketTests {
    @Test func allowsTheBurstThenLimitsWithTheExactWait() {
        var bucket = TokenBucket(ratePerSecond: 10, burst: 3)
        #expect(bucket.interval == 100 * ms)
        let start = 1_000 * seconds
        #expect(bucket.availableTokens(now: start) == 3)
        for _ in 0..<3 { #expect(bucket.consume(now: start) == .allowed) }
        #expect(bucket.availableTokens(now: start) == 0)
        #expect(bucket.consume(now: start) == .limited(retryAfter: 100 * ms))
        #expect(bucket.consume(now: start + 30 * ms) == .limited(retryAfter: 70 * ms))
        #expect(bucket.consume(now: start + 100 * ms - 1) == .limited(retryAfter: 1))
        #expect(bucket.consume(now: start + 100 * ms) == .allowed)
        #expect(bucket.consume(now: start + 100 * ms) == .limited(retryAfter: 100 * ms))
    }

    @Test func refillsOneTokenPerIntervalUpToTheBurst() {
        var bucket = TokenBucket(interval: 10, burst: 4)
        for _ in 0..<4 { #expect(bucket.consume(now: 0) == .allowed) }
        #expect(bucket.availableTokens(now: 9) == 0)
        #expect(bucket.availableTokens(now: 10) == 1)
        #expect(bucket.availableTokens(now: 25) == 2)
        #expect(bucket.availableTokens(now: 40) == 4)
        #expect(bucket.availableTokens(now: 1_000_000) == 4)
        // After a long idle time the bucket holds `burst` tokens, not more.
        for _ in 0..<4 { #expect(bucket.consume(now: 1_000_000) == .allowed) }
        #expect(bucket.consume(now: 1_000_000) == .limited(retryAfter: 10))
    }

    @Test func aRefusedAttemptCostsNothing() {
        var bucket = TokenBucket(interval: 100, burst: 1)
        #expect(bucket.consume(now: 0) == .allowed)
        for now in stride(from: UInt64(0), to: 100, by: 7) {
            #expect(bucket.consume(now: now) == .limited(retryAfter: 100 - now))
        }
        #expect(bucket.consume(now: 100) == .allowed)
    }

    @Test func sustainsExactlyTheRate() {
        var bucket = TokenBucket(ratePerSecond: 4, burst: 2)
        var allowed = 0
        // Ten seconds of attempts every millisecond: the burst plus four a second.
        for now in stride(from: UInt64(0), through: 10 * seconds, by: Int(ms)) where bucket.consume(now: now) == .allowed {
            allowed += 1
        }
        #expect(allowed == 2 + 40)
    }

    @Test func roundsTheIntervalAndSaturatesHugeValues() {
        #expect(TokenBucket(ratePerSecond: 3, burst: 1).interval == 333_333_333)
        #expect(TokenBucket(ratePerSecond: 0.5, burst: 1).interval == 2 * seconds)
        #expect(TokenBucket(ratePerSecond: 1e12, burst: 1).interval == 1)
        var slow = TokenBucket(interval: .max / 2, burst: 5)
        #expect(slow.consume(now: 0) == .allowed)
        #expect(slow.availableTokens(now: 0) == 4)
    }

    @Test func timeGoingBackDoesNotRefill() {
        var bucket = TokenBucket(interval: 100, burst: 1)
        #expect(bucket.consume(now: 500) == .allowed)
        #expect(bucket.consume(now: 450) == .limited(retryAfter: 150))
        #expect(bucket.availableTokens(now: 450) == 0)
    }
}
