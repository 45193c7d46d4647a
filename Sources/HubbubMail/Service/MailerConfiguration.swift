import Foundation

/// How a ``Mailer`` claims and sends (docs/email.md lists the flags behind each value).
/// Durations are milliseconds.
public struct MailerConfiguration: Sendable, Hashable {
    /// Unique per process: whose leases are whose (``makeOwner()``).
    public var owner: String
    /// The grace window: a recipient's oldest notification waits this long, so that
    /// what arrives meanwhile joins one digest and a user who comes back can cancel it.
    public var grace: Int64 = 120_000
    /// How long a claim holds; a digest's delivery must end `leaseMargin` before it.
    public var lease: Int64 = 60_000
    /// Time kept between the end of a delivery attempt and the end of the lease (for
    /// recording the result); at most a quarter of the lease is used.
    public var leaseMargin: Int64 = 10_000
    /// Sleep between claims when the queue has nothing due.
    public var pollInterval: Int64 = 1_000
    /// Digests claimed at once, and notifications per digest at most.
    public var batchSize = 10
    public var maxNotificationsPerDigest = 100
    public var retry = RetryPolicy()
    /// How often the queue is counted for the metrics.
    public var countInterval: Int64 = 10_000
    /// Finished rows (sent, dead, cancelled) are deleted after this long; 0 keeps them.
    public var retention: Int64 = 7 * 86_400_000

    public init(owner: String = MailerConfiguration.makeOwner()) {
        self.owner = owner
    }

    /// The longest a delivery may take: the lease less the margin (or less a quarter of
    /// it, if that is smaller), at least 500 ms.
    public var deliveryTimeout: Int64 { max(lease - min(leaseMargin, lease / 4), 500) }

    /// `host:pid:random`, unique per process and run.
    public static func makeOwner() -> String {
        let random = String(UInt32.random(in: 0...UInt32.max), radix: 16)
        return "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier):\(random)"
    }
}
