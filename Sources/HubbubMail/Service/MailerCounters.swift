import Synchronization

/// The mailer's counters behind a lock: written by its loop, read by the metrics.
final class MailerCounters: Sendable {
    private let value = Mutex(MailerMetrics())

    func update(_ body: (inout MailerMetrics) -> Void) {
        value.withLock { body(&$0) }
    }

    var snapshot: MailerMetrics { value.withLock { $0 } }
}
