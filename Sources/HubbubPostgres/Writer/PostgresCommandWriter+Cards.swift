import HubbubStore

/// Card commands: positions stay dense `0..<count` in every column. `cards_position` is
/// checked at the end of each statement (it is DEFERRABLE), so one UPDATE moves a card
/// and shifts the others.
extension PostgresCommandWriter {
    /// One row (the count of its cards) if the column exists.
    static let selectColumnCount = """
        SELECT count(c.id) FROM board_columns b
        LEFT JOIN cards c ON c.project_id = b.project_id AND c.column_id = b.id
        WHERE b.project_id = $1 AND b.id = $2 GROUP BY b.project_id, b.id
        """
    static let makeRoom =
        "UPDATE cards SET position = position + 1 WHERE project_id = $1 AND column_id = $2 AND position >= $3"
    /// Within one column: the card goes from `$3` to `$4`, the cards between shift by one.
    static let moveWithinColumn = """
        UPDATE cards SET
            position = CASE WHEN id = $2 THEN $4::bigint WHEN $4::bigint > $3::bigint THEN position - 1
                ELSE position + 1 END,
            version = CASE WHEN id = $2 THEN version + 1 ELSE version END,
            updated_at = CASE WHEN id = $2 THEN $5::bigint ELSE updated_at END
        WHERE project_id = $1 AND column_id = $6
            AND position BETWEEN least($3::bigint, $4::bigint) AND greatest($3::bigint, $4::bigint)
        """
    /// The card leaves column `$3` (position `$4`) for column `$5` (position `$6`).
    static let moveAcrossColumns = """
        UPDATE cards SET
            column_id = CASE WHEN id = $2 THEN $5::text ELSE column_id END,
            position = CASE WHEN id = $2 THEN $6::bigint WHEN column_id = $3 THEN position - 1
                ELSE position + 1 END,
            version = CASE WHEN id = $2 THEN version + 1 ELSE version END,
            updated_at = CASE WHEN id = $2 THEN $7::bigint ELSE updated_at END
        WHERE project_id = $1
            AND (id = $2 OR (column_id = $3 AND position > $4) OR (column_id = $5 AND position >= $6))
        """

    func createCard(
        _ command: Command, _ fingerprint: Int64, _ rooms: inout Rooms, cardID: String?, columnID: String,
        position: Int, title: String
    ) throws(StoreError) -> CommandOutcome {
        let projectID = command.room
        let id = cardID ?? UUIDv7.make(unixMillis: command.time)
        let reads = [
            PostgresStatement(Self.selectColumnCount, [.text(projectID), .text(columnID)]),
            PostgresStatement("SELECT 1 FROM cards WHERE project_id = $1 AND id = $2", [.text(projectID), .text(id)]),
        ]
        let results: [PostgresResult]
        let seq: Int64
        switch try readPhase(command, fingerprint, &rooms, reads) {
        case .decided(let outcome): return outcome
        case .results(let r, _, let s): (results, seq) = (r, s)
        }
        guard let count = results[0].first({ $0.int($1, 0) }) else { return .notFound(.column(columnID)) }
        guard results[1].rowCount == 0 else {
            return .rejected(StoreError(code: .alreadyExists, message: "card \(id) already exists in \(projectID)"))
        }
        let card = Card(
            projectID: projectID, id: id, columnID: columnID, position: min(max(position, 0), count),
            title: title, version: 1, createdAt: command.time, updatedAt: command.time)
        let event = makeEvent(command, seq: seq, type: StoredEvent.cardCreated, payload: StoreEncoding.cardCreated(card))
        let writes = [
            PostgresStatement(Self.makeRoom, [.text(projectID), .text(columnID), .int(card.position)]),
            PostgresStatement(PostgresRecords.insertCard, PostgresRecords.cardValues(card)),
        ]
        return try writePhase(command, fingerprint, &rooms, event: event, writes)
    }

    func moveCard(
        _ command: Command, _ fingerprint: Int64, _ rooms: inout Rooms, cardID: String, toColumn: String,
        toPosition: Int, expectedVersion: Int
    ) throws(StoreError) -> CommandOutcome {
        let projectID = command.room
        let reads = [
            PostgresStatement(PostgresRecords.selectCard, [.text(projectID), .text(cardID)]),
            PostgresStatement(Self.selectColumnCount, [.text(projectID), .text(toColumn)]),
        ]
        let results: [PostgresResult]
        let seq: Int64
        switch try readPhase(command, fingerprint, &rooms, reads) {
        case .decided(let outcome): return outcome
        case .results(let r, _, let s): (results, seq) = (r, s)
        }
        guard var card = results[0].first(PostgresRecords.card) else { return .notFound(.card(cardID)) }
        guard let count = results[1].first({ $0.int($1, 0) }) else { return .notFound(.column(toColumn)) }
        guard card.version == expectedVersion else { return .conflict(current: card) }

        let fromColumn = card.columnID
        let fromPosition = card.position
        let sameColumn = toColumn == fromColumn
        let target = min(max(toPosition, 0), sameColumn ? count - 1 : count)
        card.columnID = toColumn
        card.position = target
        card.version += 1
        card.updatedAt = command.time
        let update =
            sameColumn
            ? PostgresStatement(
                Self.moveWithinColumn,
                [
                    .text(projectID), .text(cardID), .int(fromPosition), .int(target), .int(card.updatedAt),
                    .text(fromColumn),
                ])
            : PostgresStatement(
                Self.moveAcrossColumns,
                [
                    .text(projectID), .text(cardID), .text(fromColumn), .int(fromPosition), .text(toColumn),
                    .int(target), .int(card.updatedAt),
                ])
        let payload = StoreEncoding.cardMoved(card, fromColumn: fromColumn, fromPosition: fromPosition)
        let event = makeEvent(command, seq: seq, type: StoredEvent.cardMoved, payload: payload)
        return try writePhase(command, fingerprint, &rooms, event: event, [update])
    }

    func updateCard(
        _ command: Command, _ fingerprint: Int64, _ rooms: inout Rooms, cardID: String, title: String, expectedVersion: Int?
    ) throws(StoreError) -> CommandOutcome {
        let projectID = command.room
        let reads = [PostgresStatement(PostgresRecords.selectCard, [.text(projectID), .text(cardID)])]
        let results: [PostgresResult]
        let seq: Int64
        switch try readPhase(command, fingerprint, &rooms, reads) {
        case .decided(let outcome): return outcome
        case .results(let r, _, let s): (results, seq) = (r, s)
        }
        guard var card = results[0].first(PostgresRecords.card) else { return .notFound(.card(cardID)) }
        if let expectedVersion, card.version != expectedVersion { return .conflict(current: card) }
        card.title = title
        card.version += 1
        card.updatedAt = command.time
        let update = PostgresStatement(
            "UPDATE cards SET title = $3, version = $4, updated_at = $5 WHERE project_id = $1 AND id = $2",
            [.text(projectID), .text(cardID), .text(title), .int(card.version), .int(card.updatedAt)])
        let event = makeEvent(command, seq: seq, type: StoredEvent.cardUpdated, payload: EventPayload.cardUpdated(card))
        return try writePhase(command, fingerprint, &rooms, event: event, [update])
    }

    func deleteCard(
        _ command: Command, _ fingerprint: Int64, _ rooms: inout Rooms, cardID: String, expectedVersion: Int?
    ) throws(StoreError) -> CommandOutcome {
        let projectID = command.room
        let reads = [PostgresStatement(PostgresRecords.selectCard, [.text(projectID), .text(cardID)])]
        let results: [PostgresResult]
        let seq: Int64
        switch try readPhase(command, fingerprint, &rooms, reads) {
        case .decided(let outcome): return outcome
        case .results(let r, _, let s): (results, seq) = (r, s)
        }
        guard let card = results[0].first(PostgresRecords.card) else { return .notFound(.card(cardID)) }
        if let expectedVersion, card.version != expectedVersion { return .conflict(current: card) }
        let writes = [
            PostgresStatement("DELETE FROM cards WHERE project_id = $1 AND id = $2", [.text(projectID), .text(cardID)]),
            PostgresStatement(
                "UPDATE cards SET position = position - 1 WHERE project_id = $1 AND column_id = $2 AND position > $3",
                [.text(projectID), .text(card.columnID), .int(card.position)]),
        ]
        let event = makeEvent(command, seq: seq, type: StoredEvent.cardDeleted, payload: EventPayload.cardDeleted(card))
        return try writePhase(command, fingerprint, &rooms, event: event, writes)
    }
}
