extension SQLiteStore {
    public func upsertProject(_ project: Project) async throws(StoreError) {
        try await write { db throws(StoreError) in
            try db.transaction(immediate: true) { () throws(StoreError) in
                try db.run(
                    "INSERT INTO projects (id, name) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET name = excluded.name",
                    [.text(project.id), .text(project.name)]
                )
                try db.run(
                    "INSERT INTO rooms (room, head_seq) VALUES (?, 0) ON CONFLICT (room) DO NOTHING",
                    [.text(project.id)]
                )
            }
        }
    }

    public func deleteProject(id: String) async throws(StoreError) {
        try await write { db throws(StoreError) in
            try db.transaction(immediate: true) { () throws(StoreError) in
                try db.run("DELETE FROM projects WHERE id = ?", [.text(id)])  // cascades
                try db.run("DELETE FROM idempotency_keys WHERE room = ?", [.text(id)])
            }
        }
    }

    public func project(id: String) async throws(StoreError) -> Project? {
        try await read { db throws(StoreError) in
            try db.queryFirst("SELECT id, name FROM projects WHERE id = ?", [.text(id)]) {
                row throws(StoreError) in Project(id: row.text(0), name: row.text(1))
            }
        }
    }

    public func listProjects() async throws(StoreError) -> [Project] {
        try await read { db throws(StoreError) in
            try db.query("SELECT id, name FROM projects ORDER BY id") { row throws(StoreError) in
                Project(id: row.text(0), name: row.text(1))
            }
        }
    }

    public func upsertMember(_ member: Member) async throws(StoreError) {
        try await write { db throws(StoreError) in
            try db.transaction(immediate: true) { () throws(StoreError) in
                try Self.requireProject(member.projectID, db)
                try db.run(
                    """
                    INSERT INTO members (project_id, user_id, display_name, email, username) VALUES (?, ?, ?, ?, ?)
                    ON CONFLICT (project_id, user_id) DO UPDATE SET
                        display_name = excluded.display_name, email = excluded.email, username = excluded.username
                    """,
                    [
                        .text(member.projectID), .text(member.userID), .text(member.displayName),
                        .text(member.email), .text(member.username),
                    ]
                )
            }
        }
    }

    public func removeMember(projectID: String, userID: String) async throws(StoreError) {
        try await write { db throws(StoreError) in
            try db.run("DELETE FROM members WHERE project_id = ? AND user_id = ?", [.text(projectID), .text(userID)])
        }
    }

    public func members(projectID: String) async throws(StoreError) -> [Member] {
        try await read { db throws(StoreError) in
            try db.query(
                """
                SELECT project_id, user_id, display_name, email, username FROM members WHERE project_id = ?
                ORDER BY username COLLATE NOCASE, user_id
                """,
                [.text(projectID)]
            ) { row throws(StoreError) in SQLiteRecords.member(row) }
        }
    }

    public func member(projectID: String, userID: String) async throws(StoreError) -> Member? {
        try await read { db throws(StoreError) in
            try db.queryFirst(
                """
                SELECT project_id, user_id, display_name, email, username FROM members
                WHERE project_id = ? AND user_id = ?
                """,
                [.text(projectID), .text(userID)]
            ) { row throws(StoreError) in SQLiteRecords.member(row) }
        }
    }

    public func upsertColumn(_ column: Column) async throws(StoreError) {
        try await write { db throws(StoreError) in
            try db.transaction(immediate: true) { () throws(StoreError) in
                try Self.requireProject(column.projectID, db)
                try db.run(
                    """
                    INSERT INTO board_columns (project_id, id, name, position) VALUES (?, ?, ?, ?)
                    ON CONFLICT (project_id, id) DO UPDATE SET name = excluded.name, position = excluded.position
                    """,
                    [.text(column.projectID), .text(column.id), .text(column.name), .int(column.position)]
                )
            }
        }
    }

    public func deleteColumn(projectID: String, columnID: String) async throws(StoreError) {
        try await write { db throws(StoreError) in
            try db.transaction(immediate: true) { () throws(StoreError) in
                try Self.requireProject(projectID, db)
                let cards = try db.queryFirst(
                    "SELECT count(*) FROM cards WHERE project_id = ? AND column_id = ?", [.text(projectID), .text(columnID)]
                ) { row throws(StoreError) in row.int(0) } ?? 0
                let exists = try db.queryFirst(
                    "SELECT 1 FROM board_columns WHERE project_id = ? AND id = ?", [.text(projectID), .text(columnID)]
                ) { _ throws(StoreError) in true }
                guard exists == true else {
                    throw StoreError(code: .notFound, message: "column \(columnID) does not exist in \(projectID)")
                }
                guard cards == 0 else {
                    throw StoreError(code: .constraint, message: "column \(columnID) still has \(cards) cards")
                }
                try db.run("DELETE FROM board_columns WHERE project_id = ? AND id = ?", [.text(projectID), .text(columnID)])
            }
        }
    }

    public func columns(projectID: String) async throws(StoreError) -> [Column] {
        try await read { db throws(StoreError) in try Self.columns(projectID, db) }
    }

    public func board(projectID: String) async throws(StoreError) -> Board? {
        try await read { db throws(StoreError) in
            try db.transaction(immediate: false) { () throws(StoreError) -> Board? in
                let exists = try db.queryFirst("SELECT 1 FROM projects WHERE id = ?", [.text(projectID)]) {
                    _ throws(StoreError) in true
                }
                guard exists == true else { return nil }
                let headSeq = try Self.headSeq(projectID, db)
                let cards = try db.query(
                    SQLiteRecords.selectProjectCards,
                    [.text(projectID)]
                ) { row throws(StoreError) in SQLiteRecords.card(row) }
                let byColumn = Dictionary(grouping: cards, by: \.columnID)
                let columns = try Self.columns(projectID, db).map { column in
                    BoardColumn(column: column, cards: byColumn[column.id] ?? [])
                }
                return Board(projectID: projectID, headSeq: headSeq, columns: columns)
            }
        }
    }

    static func columns(_ projectID: String, _ db: SQLiteConnection) throws(StoreError) -> [Column] {
        try db.query(
            "SELECT project_id, id, name, position FROM board_columns WHERE project_id = ? ORDER BY position, id",
            [.text(projectID)]
        ) { row throws(StoreError) in SQLiteRecords.column(row) }
    }

    static func headSeq(_ room: String, _ db: SQLiteConnection) throws(StoreError) -> Int64 {
        try db.queryFirst("SELECT head_seq FROM rooms WHERE room = ?", [.text(room)]) { row throws(StoreError) in
            row.int64(0)
        } ?? 0
    }

    private static func requireProject(_ id: String, _ db: SQLiteConnection) throws(StoreError) {
        let exists = try db.queryFirst("SELECT 1 FROM projects WHERE id = ?", [.text(id)]) { _ throws(StoreError) in
            true
        }
        guard exists == true else { throw StoreError(code: .notFound, message: "project \(id) does not exist") }
    }
}
