import HubbubStore

extension PostgresStore {
    public func upsertProject(_ project: Project) async throws(StoreError) {
        try await transaction { db throws(StoreError) in
            try db.query(
                "INSERT INTO projects (id, name) VALUES ($1, $2) ON CONFLICT (id) DO UPDATE SET name = excluded.name",
                [.text(project.id), .text(project.name)])
            try db.query(
                "INSERT INTO rooms (room, head_seq) VALUES ($1, 0) ON CONFLICT (room) DO NOTHING", [.text(project.id)])
        }
    }

    public func deleteProject(id: String) async throws(StoreError) {
        try await transaction { db throws(StoreError) in
            // The room's row first, as `commit` locks it: a delete waits for the batches
            // writing the room instead of deadlocking with them.
            try db.query("SELECT 1 FROM rooms WHERE room = $1 FOR UPDATE", [.text(id)])
            try db.query("DELETE FROM projects WHERE id = $1", [.text(id)])  // cascades
            try db.query("DELETE FROM idempotency_keys WHERE room = $1", [.text(id)])
        }
    }

    public func project(id: String) async throws(StoreError) -> Project? {
        try await run { db throws(StoreError) in
            try db.query("SELECT id, name FROM projects WHERE id = $1", [.text(id)]).first { row, index in
                Project(id: row.text(index, 0), name: row.text(index, 1))
            }
        }
    }

    public func listProjects() async throws(StoreError) -> [Project] {
        try await run { db throws(StoreError) in
            try db.query("SELECT id, name FROM projects ORDER BY id").rows { row, index in
                Project(id: row.text(index, 0), name: row.text(index, 1))
            }
        }
    }

    public func upsertMember(_ member: Member) async throws(StoreError) {
        let written = try await run { db throws(StoreError) in
            try db.query(
                """
                INSERT INTO members (\(PostgresRecords.memberColumns))
                SELECT $1, $2, $3, $4, $5 WHERE EXISTS (SELECT 1 FROM projects WHERE id = $1)
                ON CONFLICT (project_id, user_id) DO UPDATE SET
                    display_name = excluded.display_name, email = excluded.email, username = excluded.username
                """,
                [
                    .text(member.projectID), .text(member.userID), .text(member.displayName), .text(member.email),
                    .text(member.username),
                ]
            ).affectedRows
        }
        guard written > 0 else {
            throw StoreError(code: .notFound, message: "project \(member.projectID) does not exist")
        }
    }

    public func removeMember(projectID: String, userID: String) async throws(StoreError) {
        try await run { db throws(StoreError) in
            _ = try db.query(
                "DELETE FROM members WHERE project_id = $1 AND user_id = $2", [.text(projectID), .text(userID)])
        }
    }

    public func members(projectID: String) async throws(StoreError) -> [Member] {
        try await run { db throws(StoreError) in
            try db.query(
                """
                SELECT \(PostgresRecords.memberColumns) FROM members WHERE project_id = $1
                ORDER BY lower(username), user_id
                """,
                [.text(projectID)]
            ).rows(PostgresRecords.member)
        }
    }

    public func member(projectID: String, userID: String) async throws(StoreError) -> Member? {
        try await run { db throws(StoreError) in
            try db.query(
                "SELECT \(PostgresRecords.memberColumns) FROM members WHERE project_id = $1 AND user_id = $2",
                [.text(projectID), .text(userID)]
            ).first(PostgresRecords.member)
        }
    }

    public func upsertColumn(_ column: Column) async throws(StoreError) {
        let written = try await run { db throws(StoreError) in
            try db.query(
                """
                INSERT INTO board_columns (project_id, id, name, position)
                SELECT $1, $2, $3, $4 WHERE EXISTS (SELECT 1 FROM projects WHERE id = $1)
                ON CONFLICT (project_id, id) DO UPDATE SET name = excluded.name, position = excluded.position
                """,
                [.text(column.projectID), .text(column.id), .text(column.name), .int(column.position)]
            ).affectedRows
        }
        guard written > 0 else {
            throw StoreError(code: .notFound, message: "project \(column.projectID) does not exist")
        }
    }

    public func deleteColumn(projectID: String, columnID: String) async throws(StoreError) {
        // One statement decides: the column's row (locked), its card count, the delete.
        let found = try await run { db throws(StoreError) in
            try db.query(
                """
                WITH target AS (
                    SELECT b.project_id, b.id,
                        (SELECT count(*) FROM cards c WHERE c.project_id = b.project_id AND c.column_id = b.id) AS cards
                    FROM board_columns b WHERE b.project_id = $1 AND b.id = $2 FOR UPDATE
                ), deleted AS (
                    DELETE FROM board_columns b USING target t
                    WHERE b.project_id = t.project_id AND b.id = t.id AND t.cards = 0 RETURNING b.id
                )
                SELECT (SELECT cards FROM target), (SELECT count(*) FROM deleted)
                """,
                [.text(projectID), .text(columnID)]
            ).first { result, row in (result.isNull(row, 0) ? -1 : result.int(row, 0), result.int(row, 1)) }
        }
        guard let (cards, deleted) = found, cards >= 0 else {
            throw StoreError(code: .notFound, message: "column \(columnID) does not exist in \(projectID)")
        }
        guard deleted == 1 else {
            throw StoreError(code: .constraint, message: "column \(columnID) still has \(cards) cards")
        }
    }

    public func columns(projectID: String) async throws(StoreError) -> [Column] {
        try await run { db throws(StoreError) in
            try db.query(PostgresRecords.selectColumns, [.text(projectID)]).rows(PostgresRecords.column)
        }
    }

    /// Read in one pipeline inside one REPEATABLE READ transaction: one snapshot.
    public func board(projectID: String) async throws(StoreError) -> Board? {
        try await run { db throws(StoreError) in
            let results = try db.pipeline([
                PostgresStatement("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"),
                PostgresStatement("SELECT 1 FROM projects WHERE id = $1", [.text(projectID)]),
                PostgresStatement(PostgresRecords.selectHeadSeq, [.text(projectID)]),
                PostgresStatement(PostgresRecords.selectColumns, [.text(projectID)]),
                PostgresStatement(PostgresRecords.selectProjectCards, [.text(projectID)]),
                PostgresStatement("COMMIT"),
            ]).get()
            guard results[1].rowCount > 0 else { return nil }
            let headSeq = results[2].first { $0.int64($1, 0) } ?? 0
            let byColumn = Dictionary(grouping: results[4].rows(PostgresRecords.card), by: \.columnID)
            let columns = results[3].rows(PostgresRecords.column).map { column in
                BoardColumn(column: column, cards: byColumn[column.id] ?? [])
            }
            return Board(projectID: projectID, headSeq: headSeq, columns: columns)
        }
    }
}
