/// Reads the command writer needs, on the writer connection inside its transaction.
extension SQLiteCommandWriter {
    func previousReply(_ key: IdempotencyKey) throws(StoreError) -> (fingerprint: Int64, event: StoredEvent)? {
        try db.queryFirst(
            SQLiteRecords.selectIdempotencyKey,
            [.text(key.scope), .text(key.key)]
        ) { row throws(StoreError) in (row.int64(0), SQLiteRecords.event(row, from: 1)) }
    }

    func project(_ id: String) throws(StoreError) -> Project? {
        try db.queryFirst("SELECT id, name FROM projects WHERE id = ?", [.text(id)]) { row throws(StoreError) in
            Project(id: row.text(0), name: row.text(1))
        }
    }

    func card(_ projectID: String, _ id: String) throws(StoreError) -> Card? {
        try db.queryFirst(
            SQLiteRecords.selectCard,
            [.text(projectID), .text(id)]
        ) { row throws(StoreError) in SQLiteRecords.card(row) }
    }

    func member(_ projectID: String, _ userID: String) throws(StoreError) -> Member? {
        try db.queryFirst(
            """
            SELECT project_id, user_id, display_name, email, username FROM members
            WHERE project_id = ? AND user_id = ?
            """,
            [.text(projectID), .text(userID)]
        ) { row throws(StoreError) in SQLiteRecords.member(row) }
    }

    func columnExists(_ projectID: String, _ columnID: String) throws(StoreError) -> Bool {
        try db.queryFirst(
            "SELECT 1 FROM board_columns WHERE project_id = ? AND id = ?", [.text(projectID), .text(columnID)]
        ) { _ throws(StoreError) in true } ?? false
    }

    func cardCount(_ projectID: String, _ columnID: String) throws(StoreError) -> Int {
        try db.queryFirst(
            "SELECT count(*) FROM cards WHERE project_id = ? AND column_id = ?", [.text(projectID), .text(columnID)]
        ) { row throws(StoreError) in row.int(0) } ?? 0
    }
}
