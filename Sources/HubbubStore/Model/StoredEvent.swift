/// A durable room event as stored.
///
/// `payload` is compact JSON text in the wire format of the protocol's event payloads
/// (`protocol/schemas/server/payloads/`), encoded once by the store, so the hub can embed
/// it in every frame without decoding or encoding it again.
public struct StoredEvent: Sendable, Hashable {
    /// UUIDv7 in canonical lowercase form.
    public var eventID: String
    public var room: String
    /// 1 for the room's first event, then +1 for each, without gaps.
    public var seq: Int64
    /// `comment.created`, `card.created`, `card.moved`, or a custom type.
    public var type: String
    public var actor: EventActor
    public var correlationID: String
    /// Unix time in milliseconds (the command's time).
    public var time: Int64
    public var payload: String

    public init(
        eventID: String, room: String, seq: Int64, type: String, actor: EventActor,
        correlationID: String, time: Int64, payload: String
    ) {
        self.eventID = eventID
        self.room = room
        self.seq = seq
        self.type = type
        self.actor = actor
        self.correlationID = correlationID
        self.time = time
        self.payload = payload
    }
}

extension StoredEvent {
    /// The event type of a comment.
    public static let commentCreated = "comment.created"
    /// The event type of a card creation.
    public static let cardCreated = "card.created"
    /// The event type of a card move.
    public static let cardMoved = "card.moved"
    /// The event type of a card's new title.
    public static let cardUpdated = "card.updated"
    /// The event type of a card's deletion.
    public static let cardDeleted = "card.deleted"
}
