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
    /// How many times ``Store/markNotifications(_:state:)`` recorded a result for this row.
    public var attempts: Int
    /// Unix time in milliseconds (the causing command's time).
    public var createdAt: Int64

    public init(
        id: Int64, room: String, userID: String, email: String, kind: String, eventID: String,
        seq: Int64, payload: String, state: OutboxState, attempts: Int, createdAt: Int64
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
    }
}

/// Where an outbox row is in its life.
public enum OutboxState: String, Sendable, Hashable, CaseIterable {
    /// Not sent yet; returned by ``Store/pendingNotifications(limit:)``.
    case pending
    /// Delivered.
    case sent
    /// Given up on.
    case failed
}
