import ArgumentParser
import HubbubStore

/// `hubbub admin card add|list`.
struct AdminCard: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "card", abstract: "Add cards (as card.created room events) and print the board.",
        subcommands: [Add.self, List.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a card: a durable card.created event of the project's room (actor service:admin).")

        @OptionGroup var data: AdminDataOptions
        @Option(help: "The project id.") var project: String
        @Option(help: "The column id.") var column: String
        @Option(help: "The card's title (1-500 bytes).") var title: String
        @Option(help: "Position in the column (default: last; larger values mean last).") var position: Int?
        @Option(help: "The card id (default: one the store chooses, a UUIDv7).") var id: String?
        @Flag(help: "Print one JSON document: the card, its event's seq and id.") var json = false

        func validate() throws {
            try AdminValidation.arguments { () throws(AdminError) in
                try AdminValidation.entityID(project, "--project")
                try AdminValidation.entityID(column, "--column")
                try AdminValidation.title(title, "--title")
                if let position { try AdminValidation.position(position, "--position") }
                if let id { try AdminValidation.entityID(id, "--id") }
            }
        }

        func run() throws {
            let (project, json) = (project, json)
            let request = AdminCardWriter.Request(
                cardID: id, columnID: column, position: position ?? Int.max, title: title)
            try AdminRunner.run(data.location) { session in
                _ = try await session.requireProject(project)
                let created = try await AdminCardWriter.create([request], project: project, store: session.store)
                for card in created {
                    if json {
                        print(AdminJSON.created(card))
                    } else {
                        print(
                            "created card \(card.card.id) in \(project)/\(card.card.columnID) at position "
                                + "\(card.card.position): seq \(card.seq)")
                    }
                }
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the board: columns in order with their cards, positions and versions.")

        @OptionGroup var data: AdminDataOptions
        @Option(help: "The project id.") var project: String
        @Flag(help: "Print one JSON document instead of text.") var json = false

        func validate() throws {
            try AdminValidation.arguments { () throws(AdminError) in try AdminValidation.entityID(project, "--project") }
        }

        func run() throws {
            let (project, json) = (project, json)
            try AdminRunner.run(data.location) { session in
                guard let board = try await session.store.board(projectID: project) else {
                    throw AdminError.failure("project \(project) does not exist (see 'hubbub admin project list')")
                }
                print(json ? AdminJSON.board(board) : Self.text(board))
            }
        }

        static func text(_ board: Board) -> String {
            var lines = ["board of \(board.projectID) (head seq \(board.headSeq))"]
            if board.columns.isEmpty { lines.append("no columns") }
            for entry in board.columns {
                let column = entry.column
                lines.append("")
                lines.append("\(column.name) [\(column.id), position \(column.position)]: \(entry.cards.count) card(s)")
                guard !entry.cards.isEmpty else { continue }
                var table = AdminTable("POS", "ID", "VERSION", "TITLE")
                for card in entry.cards {
                    table.add(String(card.position), card.id, String(card.version), card.title)
                }
                lines.append(table.render(indent: "  "))
            }
            return lines.joined(separator: "\n")
        }
    }
}
