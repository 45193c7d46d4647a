/// Column lists and row decoders shared by the SQLite store's queries. The SQL is built
/// once (static lets), so the statement cache sees the same strings every time.
enum SQLiteRecords {
    /// 10 columns, decoded by ``event(_:from:)``.
    static let eventColumns =
        "room, seq, event_id, type, actor_kind, actor_id, actor_name, correlation_id, time, payload"

    /// 8 columns, decoded by ``card(_:)``.
    static let cardColumns = "project_id, id, column_id, position, title, version, created_at, updated_at"

    static let insertEvent = "INSERT INTO events (\(eventColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
    static let selectEventsAfter =
        "SELECT \(eventColumns) FROM events WHERE room = ? AND seq > ? ORDER BY seq LIMIT ?"
    /// `scope, request_key, fingerprint`, then the event's values.
    static let insertIdempotencyKey = """
        INSERT INTO idempotency_keys (scope, request_key, fingerprint, \(eventColumns))
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    /// `fingerprint`, then the event's columns.
    static let selectIdempotencyKey =
        "SELECT fingerprint, \(eventColumns) FROM idempotency_keys WHERE scope = ? AND request_key = ?"
    static let insertCard = "INSERT INTO cards (\(cardColumns)) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
    static let selectCard = "SELECT \(cardColumns) FROM cards WHERE project_id = ? AND id = ?"
    static let selectProjectCards =
        "SELECT \(cardColumns) FROM cards WHERE project_id = ? ORDER BY column_id, position"

    static func event(_ row: SQLiteRow, from first: Int32 = 0) -> StoredEvent {
        StoredEvent(
            eventID: row.text(first + 2),
            room: row.text(first),
            seq: row.int64(first + 1),
            type: row.text(first + 3),
            actor: actor(kind: row.text(first + 4), id: row.text(first + 5), name: row.text(first + 6)),
            correlationID: row.text(first + 7),
            time: row.int64(first + 8),
            payload: row.text(first + 9)
        )
    }

    /// The values for `room, seq, event_id, type, actor_kind, actor_id, actor_name,
    /// correlation_id, time, payload`.
    static func eventValues(_ event: StoredEvent) -> [SQLiteValue] {
        [.text(event.room), .int(event.seq), .text(event.eventID), .text(event.type)]
            + actorValues(event.actor)
            + [.text(event.correlationID), .int(event.time), .text(event.payload)]
    }

    static func card(_ row: SQLiteRow) -> Card {
        Card(
            projectID: row.text(0), id: row.text(1), columnID: row.text(2), position: row.int(3),
            title: row.text(4), version: row.int(5), createdAt: row.int64(6), updatedAt: row.int64(7)
        )
    }

    static func member(_ row: SQLiteRow) -> Member {
        Member(
            projectID: row.text(0), userID: row.text(1), displayName: row.text(2), email: row.text(3),
            username: row.text(4)
        )
    }

    static func column(_ row: SQLiteRow) -> Column {
        Column(projectID: row.text(0), id: row.text(1), name: row.text(2), position: row.int(3))
    }

    /// 13 columns, decoded by ``outboxEntry(_:)``.
    static let outboxColumns =
        "id, room, user_id, email, kind, event_id, seq, payload, state, attempts, created_at, not_before, last_error"

    static func outboxEntry(_ row: SQLiteRow) -> OutboxEntry {
        OutboxEntry(
            id: row.int64(0), room: row.text(1), userID: row.text(2), email: row.text(3), kind: row.text(4),
            eventID: row.text(5), seq: row.int64(6), payload: row.text(7),
            state: OutboxState(rawValue: row.text(8)) ?? .dead, attempts: row.int(9), createdAt: row.int64(10),
            notBefore: row.int64(11), lastError: row.optionalText(12)
        )
    }

    /// `actor_kind, actor_id, actor_name` (the name is empty for a service).
    private static func actorValues(_ actor: EventActor) -> [SQLiteValue] {
        switch actor {
        case .user(let id, let name): [.text("user"), .text(id), .text(name)]
        case .service(let name): [.text("service"), .text(name), .text("")]
        }
    }

    private static func actor(kind: String, id: String, name: String) -> EventActor {
        kind == "service" ? .service(id) : .user(id: id, name: name)
    }
}
