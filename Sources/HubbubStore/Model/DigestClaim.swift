/// What one mailer asks of ``Store/claimDigests(_:)``: which digests are due now, and for
/// how long it may hold them. Times are unix milliseconds.
public struct DigestClaim: Sendable, Hashable {
    /// The claiming mailer, unique per process (e.g. `host:pid:random`): only the owner
    /// of a lease can complete, retry, dead-letter or release its rows.
    public var owner: String
    /// The mailer's clock now.
    public var now: Int64
    /// The grace window: a recipient's digest is due once its oldest waiting row was
    /// created at least this long ago (`>= 0`).
    public var grace: Int64
    /// How long the claimed rows stay leased (`> 0`): past `now + lease` another mailer
    /// may claim them again, so a mailer must finish (or give up on) a digest well
    /// within its lease.
    public var lease: Int64
    /// Most digests returned by one call (`>= 0`).
    public var maxDigests: Int
    /// Most rows in one digest (`>= 1`): a recipient with more waiting rows gets the
    /// oldest ones now and the rest in a later digest.
    public var maxNotificationsPerDigest: Int

    public init(
        owner: String, now: Int64, grace: Int64, lease: Int64, maxDigests: Int, maxNotificationsPerDigest: Int = 100
    ) {
        self.owner = owner
        self.now = now
        self.grace = grace
        self.lease = lease
        self.maxDigests = maxDigests
        self.maxNotificationsPerDigest = maxNotificationsPerDigest
    }
}
