import HubbubStore

/// Applies a seed document, idempotently: projects, members and columns are upserted
/// (columns take their position from their order in the file); cards are created only
/// in a column that has none yet, and never under an id the project already has, so a
/// second run creates nothing new.
enum AdminSeeder {
    /// Applies one project of the document; returns its one-line summary.
    static func apply(_ entry: AdminSeedDocument.ProjectEntry, _ session: AdminSession) async throws -> String {
        let store = session.store
        let id = entry.project.id
        let projectExisted = try await store.project(id: id) != nil
        try await store.upsertProject(entry.project)

        var membersAdded = 0
        for member in entry.members {
            let existed = try await AdminMember.Add.save(member, session)
            if !existed { membersAdded += 1 }
        }

        let existingColumns = Set(try await store.columns(projectID: id).map(\.id))
        for (position, column) in entry.columns.enumerated() {
            try await store.upsertColumn(Column(projectID: id, id: column.id, name: column.name, position: position))
        }
        let columnsAdded = entry.columns.filter { !existingColumns.contains($0.id) }.count

        guard let board = try await store.board(projectID: id) else {
            throw AdminError.failure("project \(id) disappeared while seeding (deleted by another process?)")
        }
        let filled = Set(board.columns.filter { !$0.cards.isEmpty }.map(\.column.id))
        let cardIDs = Set(board.columns.flatMap { $0.cards.map(\.id) })
        var requests: [AdminCardWriter.Request] = []
        var skippedColumns = 0
        var skippedCards = 0
        for column in entry.columns where !column.cards.isEmpty {
            guard !filled.contains(column.id) else {
                skippedColumns += 1
                continue
            }
            for card in column.cards {
                if let cardID = card.id, cardIDs.contains(cardID) {
                    skippedCards += 1
                    continue
                }
                requests.append(
                    AdminCardWriter.Request(cardID: card.id, columnID: column.id, position: Int.max, title: card.title))
            }
        }
        let created = try await AdminCardWriter.create(requests, project: id, store: store)

        var parts = [
            "\(id): project \(projectExisted ? "updated" : "created")",
            "members \(membersAdded) added, \(entry.members.count - membersAdded) updated",
            "columns \(columnsAdded) added, \(entry.columns.count - columnsAdded) updated",
        ]
        var cards = "cards \(created.count) created"
        if let first = created.first?.seq, let last = created.last?.seq {
            cards += first == last ? " (seq \(first))" : " (seq \(first)-\(last))"
        }
        if skippedColumns > 0 { cards += ", \(skippedColumns) column(s) already had cards" }
        if skippedCards > 0 { cards += ", \(skippedCards) skipped (id already on the board)" }
        parts.append(cards)
        return parts.joined(separator: "; ")
    }
}
