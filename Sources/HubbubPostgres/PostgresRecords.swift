import HubbubStore

/// Column lists, statements and row decoders shared by the PostgreSQL store's queries.
/// The SQL is built once (static lets): each text is prepared once per connection.
enum PostgresRecords {
    /// 10 columns, decoded by ``event(_:_:from:)``.
    static let eventColumns =
        "room, seq, event_id, type, actor_kind, actor_id, actor_name, correlation_id, time, payload"
    /// 8 columns, decoded by ``card(_:_:)``.
    static let cardColumns = "project_id, id, column_id, position, title, version, created_at, updated_at"
    static let memberColumns = "project_id, user_id, display_name, email, username"
    /// 13 columns, decoded by ``outboxEntry(_:_:)``.
    static let outboxColumns =
        "id, room, user_id, email, kind, event_id, seq, payload, state, attempts, created_at, not_before, last_error"

    static let insertEvent =
        "INSERT INTO events (\(eventColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)"
    static let selectEventsAfter =
        "SELECT \(eventColumns) FROM events WHERE room = $1 AND seq > $2 ORDER BY seq LIMIT $3"
    /// `scope, request_key, fingerprint`, then the event's values; no row if the key is taken.
    static let insertIdempotencyKey = """
        INSERT INTO idempotency_keys (scope, request_key, fingerprint, \(eventColumns))
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
        ON CONFLICT (scope, request_key) DO NOTHING
        """
    /// `fingerprint`, then the event's columns.
    static let selectIdempotencyKey =
        "SELECT fingerprint, \(eventColumns) FROM idempotency_keys WHERE scope = $1 AND request_key = $2"
    static let insertCard = "INSERT INTO cards (\(cardColumns)) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)"
    static let selectCard = "SELECT \(cardColumns) FROM cards WHERE project_id = $1 AND id = $2"
    static let selectProjectCards =
        "SELECT \(cardColumns) FROM cards WHERE project_id = $1 ORDER BY column_id, position"
    static let selectColumns =
        "SELECT project_id, id, name, position FROM board_columns WHERE project_id = $1 ORDER BY position, id"
    static let selectHeadSeq = "SELECT head_seq FROM rooms WHERE room = $1"

    static func event(_ result: PostgresResult, _ row: Int, from first: Int = 0) -> StoredEvent {
        StoredEvent(
            eventID: result.text(row, first + 2),
            room: result.text(row, first),
            seq: result.int64(row, first + 1),
            type: result.text(row, first + 3),
            actor: actor(
                kind: result.text(row, first + 4), id: result.text(row, first + 5),
                name: result.text(row, first + 6)),
            correlationID: result.text(row, first + 7),
            time: result.int64(row, first + 8),
            payload: result.text(row, first + 9)
        )
    }

    /// The values for `room, seq, event_id, type, actor_kind, actor_id, actor_name,
    /// correlation_id, time, payload`.
    static func eventValues(_ event: StoredEvent) -> [PostgresValue] {
        [.text(event.room), .int(event.seq), .text(event.eventID), .text(event.type)]
            + actorValues(event.actor)
            + [.text(event.correlationID), .int(event.time), .text(event.payload)]
    }

    static func card(_ result: PostgresResult, _ row: Int) -> Card {
        Card(
            projectID: result.text(row, 0), id: result.text(row, 1), columnID: result.text(row, 2),
            position: result.int(row, 3), title: result.text(row, 4), version: result.int(row, 5),
            createdAt: result.int64(row, 6), updatedAt: result.int64(row, 7)
        )
    }

    static func cardValues(_ card: Card) -> [PostgresValue] {
        [
            .text(card.projectID), .text(card.id), .text(card.columnID), .int(card.position), .text(card.title),
            .int(card.version), .int(card.createdAt), .int(card.updatedAt),
        ]
    }

    static func member(_ result: PostgresResult, _ row: Int) -> Member {
        Member(
            projectID: result.text(row, 0), userID: result.text(row, 1), displayName: result.text(row, 2),
            email: result.text(row, 3), username: result.text(row, 4)
        )
    }

    static func column(_ result: PostgresResult, _ row: Int) -> Column {
        Column(
            projectID: result.text(row, 0), id: result.text(row, 1), name: result.text(row, 2),
            position: result.int(row, 3))
    }

    static func outboxEntry(_ result: PostgresResult, _ row: Int) -> OutboxEntry {
        OutboxEntry(
            id: result.int64(row, 0), room: result.text(row, 1), userID: result.text(row, 2),
            email: result.text(row, 3), kind: result.text(row, 4), eventID: result.text(row, 5),
            seq: result.int64(row, 6), payload: result.text(row, 7),
            state: OutboxState(rawValue: result.text(row, 8)) ?? .dead, attempts: result.int(row, 9),
            createdAt: result.int64(row, 10), notBefore: result.int64(row, 11),
            lastError: result.isNull(row, 12) ? nil : result.text(row, 12)
        )
    }

    /// `actor_kind, actor_id, actor_name` (the name is empty for a service).
    private static func actorValues(_ actor: EventActor) -> [PostgresValue] {
        switch actor {
        case .user(let id, let name): [.text("user"), .text(id), .text(name)]
        case .service(let name): [.text("service"), .text(name), .text("")]
        }
    }

    private static func actor(kind: String, id: String, name: String) -> EventActor {
        kind == "service" ? .service(id) : .user(id: id, name: name)
    }
}
