/// A snapshot of the mailer's counters (since the process started) and of the queue
/// (as of the last count), for the hub's metrics endpoint.
public struct MailerMetrics: Sendable, Hashable {
    /// Digests (e-mails) delivered, and the notifications in them.
    public var digestsSent = 0
    public var notificationsSent = 0
    /// Digests put back for a later attempt after a transient failure.
    public var digestsRetried = 0
    /// Digests with at least one dead-lettered notification, and those notifications.
    public var digestsDeadLettered = 0
    public var notificationsDeadLettered = 0
    /// Claims given back unsent at shutdown.
    public var digestsReleased = 0
    /// Results that found the lease gone (it expired and another mailer took the rows).
    public var leasesLost = 0
    /// Store calls that failed (claims, results, counts).
    public var storeErrors = 0
    /// The queue, from ``Store/outboxCounts()`` (refreshed every count interval):
    /// notifications waiting (pending + leased) and the age of the oldest (ms; 0 if none).
    public var queueDepth = 0
    public var pending = 0
    public var leased = 0
    public var deadTotal = 0
    public var oldestWaitingAgeMilliseconds: Int64 = 0

    public init() {}
}
