/// Card commands: positions stay dense `0..<count` in every column, enforced along the
/// way by the unique index `cards_position`.
extension SQLiteCommandWriter {
    func createCard(
        _ command: Command, cardID: String?, columnID: String, position: Int, title: String
    ) throws(StoreError) -> CommandOutcome {
        let projectID = command.room
        guard try columnExists(projectID, columnID) else { return .notFound(.column(columnID)) }
        let id = cardID ?? UUIDv7.make(unixMillis: command.time)
        if try card(projectID, id) != nil {
            return .rejected(StoreError(code: .alreadyExists, message: "card \(id) already exists in \(projectID)"))
        }
        let count = try cardCount(projectID, columnID)
        let card = Card(
            projectID: projectID, id: id, columnID: columnID, position: min(max(position, 0), count),
            title: title, version: 1, createdAt: command.time, updatedAt: command.time)
        try shift(projectID, columnID, from: card.position, through: Int.max, by: 1)
        try db.run(
            SQLiteRecords.insertCard,
            [
                .text(projectID), .text(id), .text(columnID), .int(card.position), .text(title),
                .int(card.version), .int(card.createdAt), .int(card.updatedAt),
            ]
        )
        let event = try appendEvent(command, type: StoredEvent.cardCreated, payload: EventPayload.cardCreated(card))
        return .stored(event)
    }

    func moveCard(
        _ command: Command, cardID: String, toColumn: String, toPosition: Int, expectedVersion: Int
    ) throws(StoreError) -> CommandOutcome {
        let projectID = command.room
        guard var card = try card(projectID, cardID) else { return .notFound(.card(cardID)) }
        guard try columnExists(projectID, toColumn) else { return .notFound(.column(toColumn)) }
        guard card.version == expectedVersion else { return .conflict(current: card) }

        let fromColumn = card.columnID
        let fromPosition = card.position
        let sameColumn = toColumn == fromColumn
        let count = try cardCount(projectID, toColumn)
        let target = min(max(toPosition, 0), sameColumn ? count - 1 : count)

        // Park the card outside the column's range so the shifts can use its place.
        try db.run(
            "UPDATE cards SET position = -1 WHERE project_id = ? AND id = ?", [.text(projectID), .text(cardID)])
        if sameColumn {
            if target > fromPosition {
                try shift(projectID, fromColumn, from: fromPosition + 1, through: target, by: -1)
            } else if target < fromPosition {
                try shift(projectID, fromColumn, from: target, through: fromPosition - 1, by: 1)
            }
        } else {
            try shift(projectID, fromColumn, from: fromPosition + 1, through: Int.max, by: -1)
            try shift(projectID, toColumn, from: target, through: Int.max, by: 1)
        }
        card.columnID = toColumn
        card.position = target
        card.version += 1
        card.updatedAt = command.time
        try db.run(
            "UPDATE cards SET column_id = ?, position = ?, version = ?, updated_at = ? WHERE project_id = ? AND id = ?",
            [
                .text(toColumn), .int(target), .int(card.version), .int(card.updatedAt), .text(projectID),
                .text(cardID),
            ]
        )
        let payload = EventPayload.cardMoved(card, fromColumn: fromColumn, fromPosition: fromPosition)
        return .stored(try appendEvent(command, type: StoredEvent.cardMoved, payload: payload))
    }

    func updateCard(_ command: Command, cardID: String, title: String, expectedVersion: Int?) throws(StoreError)
        -> CommandOutcome
    {
        let projectID = command.room
        guard var card = try card(projectID, cardID) else { return .notFound(.card(cardID)) }
        if let expectedVersion, card.version != expectedVersion { return .conflict(current: card) }
        card.title = title
        card.version += 1
        card.updatedAt = command.time
        try db.run(
            "UPDATE cards SET title = ?, version = ?, updated_at = ? WHERE project_id = ? AND id = ?",
            [.text(title), .int(card.version), .int(card.updatedAt), .text(projectID), .text(cardID)]
        )
        return .stored(try appendEvent(command, type: StoredEvent.cardUpdated, payload: EventPayload.cardUpdated(card)))
    }

    func deleteCard(_ command: Command, cardID: String, expectedVersion: Int?) throws(StoreError) -> CommandOutcome {
        let projectID = command.room
        guard let card = try card(projectID, cardID) else { return .notFound(.card(cardID)) }
        if let expectedVersion, card.version != expectedVersion { return .conflict(current: card) }
        try db.run("DELETE FROM cards WHERE project_id = ? AND id = ?", [.text(projectID), .text(cardID)])
        try shift(projectID, card.columnID, from: card.position + 1, through: Int.max, by: -1)
        return .stored(try appendEvent(command, type: StoredEvent.cardDeleted, payload: EventPayload.cardDeleted(card)))
    }

    /// Moves the cards at positions `low...high` of a column by `delta` without ever
    /// having two cards at one position (the unique index checks every row): first to
    /// distinct negative positions (≤ -2, clear of a parked card at -1), then back.
    func shift(_ projectID: String, _ columnID: String, from low: Int, through high: Int, by delta: Int)
        throws(StoreError)
    {
        guard low <= high else { return }
        try db.run(
            """
            UPDATE cards SET position = -(position + ?1) - 2
            WHERE project_id = ?2 AND column_id = ?3 AND position BETWEEN ?4 AND ?5
            """,
            [.int(delta), .text(projectID), .text(columnID), .int(low), .int(high)]
        )
        try db.run(
            "UPDATE cards SET position = -position - 2 WHERE project_id = ?1 AND column_id = ?2 AND position <= -2",
            [.text(projectID), .text(columnID)]
        )
    }
}
