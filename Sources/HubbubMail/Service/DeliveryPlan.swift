import HubbubStore

/// What to record after trying to send a digest, decided I/O-free from the rows'
/// attempt counts, the outcome and the ``RetryPolicy``:
/// - delivered: complete every row;
/// - permanent failure: dead-letter every row;
/// - transient failure: dead-letter the rows whose attempt this was the last one
///   (`attempts + 1 >= maxAttempts`), retry the others after the backoff of the most
///   tried among them.
struct DeliveryPlan: Sendable, Hashable {
    var complete: [Int64] = []
    var retry: [Int64] = []
    var retryAt: Int64 = 0
    var retryReason = ""
    var deadLetter: [Int64] = []
    var deadReason = ""

    static func make(
        for digest: NotificationDigest, outcome: Result<Void, MailDeliveryError>, policy: RetryPolicy, now: Int64,
        jitter: Double = 0
    ) -> DeliveryPlan {
        var plan = DeliveryPlan()
        switch outcome {
        case .success:
            plan.complete = digest.ids
        case .failure(let error) where error.isPermanent:
            plan.deadLetter = digest.ids
            plan.deadReason = error.reason
        case .failure(let error):
            var highest = 0
            for row in digest.notifications {
                let attempt = row.attempts + 1
                if attempt >= policy.maxAttempts {
                    plan.deadLetter.append(row.id)
                } else {
                    plan.retry.append(row.id)
                    highest = max(highest, attempt)
                }
            }
            if !plan.deadLetter.isEmpty {
                plan.deadReason = "gave up after \(policy.maxAttempts) attempts: \(error.reason)"
            }
            if !plan.retry.isEmpty {
                plan.retryAt = now + policy.backoff(afterAttempt: highest, jitter: jitter)
                plan.retryReason = error.reason
            }
        }
        return plan
    }
}
