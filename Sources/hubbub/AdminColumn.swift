import ArgumentParser
import HubbubStore

/// `hubbub admin column add|list`.
struct AdminColumn: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "column", abstract: "Add and list the board columns of a project.",
        subcommands: [Add.self, List.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a column, or rename or move it if it exists.")

        @OptionGroup var data: AdminDataOptions
        @Option(help: "The project id.") var project: String
        @Option(help: "The column id.") var id: String
        @Option(help: "The column's name (1-200 characters).") var name: String
        @Option(help: "Display position (default: after the last column; an existing column keeps its own).")
        var position: Int?

        func validate() throws {
            try AdminValidation.arguments { () throws(AdminError) in
                try AdminValidation.entityID(project, "--project")
                try AdminValidation.entityID(id, "--id")
                try AdminValidation.name(name, "--name")
                if let position { try AdminValidation.position(position, "--position") }
            }
        }

        func run() throws {
            let (project, id, name, position) = (project, id, name, position)
            try AdminRunner.run(data.location) { session in
                let (column, existed) = try await Self.save(
                    project: project, id: id, name: name, position: position, session)
                print("\(existed ? "updated" : "added") column \(column.id) (\(column.name)) at position \(column.position) in \(project)")
            }
        }

        /// Upserts the column; without a position a new column goes after the last one
        /// and an existing one stays where it is. Returns the column and whether it existed.
        static func save(project: String, id: String, name: String, position: Int?, _ session: AdminSession)
            async throws -> (Column, Bool)
        {
            _ = try await session.requireProject(project)
            let columns = try await session.store.columns(projectID: project)
            let existing = columns.first { $0.id == id }
            let place = position ?? existing?.position ?? ((columns.map(\.position).max() ?? -1) + 1)
            let column = Column(projectID: project, id: id, name: name, position: place)
            try await session.store.upsertColumn(column)
            return (column, existing != nil)
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a project's columns in display order.")

        @OptionGroup var data: AdminDataOptions
        @Option(help: "The project id.") var project: String
        @Flag(help: "Print one JSON document instead of a table.") var json = false

        func validate() throws {
            try AdminValidation.arguments { () throws(AdminError) in try AdminValidation.entityID(project, "--project") }
        }

        func run() throws {
            let (project, json) = (project, json)
            try AdminRunner.run(data.location) { session in
                _ = try await session.requireProject(project)
                let columns = try await session.store.columns(projectID: project)
                if json {
                    print(AdminJSON.columns(columns, project: project))
                } else if columns.isEmpty {
                    print("project \(project) has no columns")
                } else {
                    var table = AdminTable("POSITION", "ID", "NAME")
                    for column in columns { table.add(String(column.position), column.id, column.name) }
                    print(table.render())
                }
            }
        }
    }
}
