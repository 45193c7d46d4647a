import HubbubStore
import Testing

@testable import HubbubMail

@Suite("Backoff and delivery plans")
struct RetryPolicyTests {
    @Test func exponentialCappedWithJitter() {
        let policy = RetryPolicy(maxAttempts: 5, initialBackoff: 1000, maxBackoff: 10_000)
        #expect((1...6).map { policy.backoff(afterAttempt: $0) } == [1000, 2000, 4000, 8000, 10_000, 10_000])
        #expect(policy.backoff(afterAttempt: 1000) == 10_000, "no overflow")
        #expect(policy.backoff(afterAttempt: 3, jitter: 0.5) == 3600)
        #expect((0..<100).allSatisfy { _ in (3200...4000).contains(policy.backoff(afterAttempt: 3, jitter: .random(in: 0..<1))) })
        #expect(RetryPolicy(maxAttempts: 0).maxAttempts == 1)
    }

    static func digest(attempts: [Int]) -> NotificationDigest {
        let rows = attempts.enumerated().map { index, attempts in
            OutboxEntry(
                id: Int64(index + 1), room: "r", userID: "u", email: "u@example.com", kind: "mention", eventID: "e",
                seq: Int64(index + 1), payload: "{}", state: .leased, attempts: attempts, createdAt: 0)
        }
        return NotificationDigest(userID: "u", email: "u@example.com", owner: "m", leaseUntil: 100, notifications: rows)
    }

    @Test func plans() {
        let policy = RetryPolicy(maxAttempts: 3, initialBackoff: 1000, maxBackoff: 60_000)
        let digest = Self.digest(attempts: [0, 1, 2])

        #expect(DeliveryPlan.make(for: digest, outcome: .success(()), policy: policy, now: 0).complete == [1, 2, 3])

        let permanent = DeliveryPlan.make(for: digest, outcome: .failure(.permanent("550 no")), policy: policy, now: 0)
        #expect(permanent.deadLetter == [1, 2, 3] && permanent.retry == [] && permanent.deadReason == "550 no")

        // Row 3 had its last attempt; rows 1 and 2 retry after the backoff of attempt 2.
        let transient = DeliveryPlan.make(for: digest, outcome: .failure(.transient("451 later")), policy: policy, now: 500)
        #expect(transient.retry == [1, 2] && transient.retryAt == 500 + 2000 && transient.retryReason == "451 later")
        #expect(transient.deadLetter == [3] && transient.deadReason == "gave up after 3 attempts: 451 later")
        #expect(transient.complete == [])

        let fresh = DeliveryPlan.make(
            for: Self.digest(attempts: [0]), outcome: .failure(.transient("timeout")), policy: policy, now: 0)
        #expect(fresh.retry == [1] && fresh.retryAt == 1000 && fresh.deadLetter == [])
    }
}
