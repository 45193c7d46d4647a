import ArgumentParser
import HubbubStore

/// `hubbub admin project add|list|delete`.
struct AdminProject: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "project", abstract: "Add, list and delete projects.",
        subcommands: [Add.self, List.self, Delete.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a project, or rename it if it exists.")

        @OptionGroup var data: AdminDataOptions
        @Argument(help: "The project id (also its room id).") var id: String
        @Option(help: "The project's display name (1-200 characters).") var name: String

        func validate() throws {
            try AdminValidation.arguments { () throws(AdminError) in
                try AdminValidation.entityID(id, "project id")
                try AdminValidation.name(name, "--name")
            }
        }

        func run() throws {
            let project = Project(id: id, name: name)
            try AdminRunner.run(data.location) { session in
                let existed = try await session.store.project(id: project.id) != nil
                try await session.store.upsertProject(project)
                print("\(existed ? "updated" : "created") project \(project.id) (\(project.name))")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the projects, ordered by id.")

        @OptionGroup var data: AdminDataOptions
        @Flag(help: "Print one JSON document instead of a table.") var json = false

        func run() throws {
            let json = json
            try AdminRunner.run(data.location) { session in
                let projects = try await session.store.listProjects()
                if json {
                    print(AdminJSON.projects(projects))
                } else if projects.isEmpty {
                    print("no projects (try: hubbub admin seed --demo)")
                } else {
                    var table = AdminTable("ID", "NAME")
                    for project in projects { table.add(project.id, project.name) }
                    print(table.render())
                }
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete a project with its members, board, comments, events and outbox rows.")

        @OptionGroup var data: AdminDataOptions
        @Argument(help: "The project id.") var id: String

        func validate() throws {
            try AdminValidation.arguments { () throws(AdminError) in try AdminValidation.entityID(id, "project id") }
        }

        func run() throws {
            let id = id
            try AdminRunner.run(data.location) { session in
                _ = try await session.requireProject(id)
                try await session.store.deleteProject(id: id)
                print("deleted project \(id)")
            }
        }
    }
}
