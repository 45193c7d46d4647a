/// One e-mail notification waiting for (or done by) the mailer, written in the same
/// transaction as the event that caused it.
public struct OutboxEntry: Sendable, Hashable {
    /// Increasing, never reused.
    public var id: Int64
    public var room: String
    public var userID: String
    /// The member's e-mail address when the row was written.
    public var email: String
    /// `mention` for a comment's notification; the event type for a custom event's.
    public var kind: String
    /// The event that caused the notification.
    public var eventID: String
    public var seq: Int64
    /// Compact JSON for the mailer. `mention`: `{"project":{"id","name"},"card":{"id","title"},
    /// "comment":{"id","excerpt"},"actor":{...},"comment_event_id","comment_seq"}`; custom:
    /// `{"project":{"id","name"},"event_id","seq","type","actor":{...},"payload":{...}}`.
    public var payload: String
    public var state: OutboxState
    /// Delivery attempts recorded for this row: each ``Store/completeDigest(_:owner:now:)``,
    /// ``Store/retryDigest(_:owner:notBefore:error:now:)``,
    /// ``Store/deadLetter(_:owner:reason:now:)`` and
    /// ``Store/markNotifications(_:state:)`` counts one; a claim or a release does not.
    public var attempts: Int
    /// Unix time in milliseconds (the causing command's time).
    public var createdAt: Int64
    /// Unix ms before which the row is not claimed (set by a retry's backoff; 0 for a
    /// new row).
    public var notBefore: Int64
    /// Why the last attempt failed (a retry's or dead letter's reason), for operators.
    /// Never contains the message itself.
    public var lastError: String?

    public init(
        id: Int64, room: String, userID: String, email: String, kind: String, eventID: String,
        seq: Int64, payload: String, state: OutboxState, attempts: Int, createdAt: Int64,
        notBefore: Int64 = 0, lastError: String? = nil
    ) {
        self.id = id
        self.room = room
        self.userID = userID
        self.email = email
        self.kind = kind
        self.eventID = eventID
        self.seq = seq
        self.payload = payload
        self.state = state
        self.attempts = attempts
        self.createdAt = createdAt
        self.notBefore = notBefore
        self.lastError = lastError
    }
}
