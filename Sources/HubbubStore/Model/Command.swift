/// One durable room command, as handed to ``Store/commit(_:)``.
///
/// The caller has validated sizes, formats and authorization; the store enforces
/// referential integrity, ordering, optimistic concurrency and idempotency.
public struct Command: Sendable, Hashable {
    /// The room, which is the project id.
    public var room: String
    public var actor: EventActor
    /// When present, a second command with the same key (and the same content) returns
    /// ``CommandOutcome/duplicate(_:)`` with the original event instead of applying again.
    public var requestKey: IdempotencyKey?
    /// Ties the event to its cause: the client command id, or the HTTP correlation id.
    public var correlationID: String
    public var kind: CommandKind
    /// Unix time in milliseconds; becomes the event's `time` and the card timestamps.
    public var time: Int64
    /// Users of a custom event's `notify` to write no outbox row for (they were online
    /// when it was published). Not part of the request fingerprint: a retry may differ.
    public var skipNotify: Set<String> = []

    public init(
        room: String, actor: EventActor, requestKey: IdempotencyKey? = nil, correlationID: String,
        kind: CommandKind, time: Int64, skipNotify: Set<String> = []
    ) {
        self.skipNotify = skipNotify
        self.room = room
        self.actor = actor
        self.requestKey = requestKey
        self.correlationID = correlationID
        self.kind = kind
        self.time = time
    }
}
