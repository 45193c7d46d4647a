/// How many outbox rows are in each state, for metrics (queue depth = ``pending`` +
/// ``leased``).
public struct OutboxCounts: Sendable, Hashable {
    public var pending: Int
    /// Claimed by a mailer, including claims whose lease ran out and that no mailer has
    /// taken again yet.
    public var leased: Int
    public var sent: Int
    public var dead: Int
    public var cancelled: Int
    /// `created_at` of the oldest pending or leased row (unix ms), `nil` if there is
    /// none: how far behind the queue is.
    public var oldestWaitingCreatedAt: Int64?

    public init(
        pending: Int = 0, leased: Int = 0, sent: Int = 0, dead: Int = 0, cancelled: Int = 0,
        oldestWaitingCreatedAt: Int64? = nil
    ) {
        self.pending = pending
        self.leased = leased
        self.sent = sent
        self.dead = dead
        self.cancelled = cancelled
        self.oldestWaitingCreatedAt = oldestWaitingCreatedAt
    }

    /// Rows still to be delivered: pending and leased.
    public var depth: Int { pending + leased }
}
