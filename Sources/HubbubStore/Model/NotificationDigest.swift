/// The notifications of one recipient claimed together by ``Store/claimDigests(_:)``:
/// one e-mail.
public struct NotificationDigest: Sendable, Hashable {
    /// The recipient (a digest is per user and address: a user whose address differs
    /// between projects gets one digest per address).
    public var userID: String
    public var email: String
    /// The lease: the claiming mailer and when the claim runs out (unix ms).
    public var owner: String
    public var leaseUntil: Int64
    /// The claimed rows (state ``OutboxState/leased``), ascending id (= oldest first).
    public var notifications: [OutboxEntry]

    public init(userID: String, email: String, owner: String, leaseUntil: Int64, notifications: [OutboxEntry]) {
        self.userID = userID
        self.email = email
        self.owner = owner
        self.leaseUntil = leaseUntil
        self.notifications = notifications
    }

    /// The ids of the rows, for completing, retrying, dead-lettering or releasing them.
    public var ids: [Int64] { notifications.map(\.id) }
}
