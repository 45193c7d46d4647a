import ArgumentParser
import HubbubStore

/// `hubbub admin member add|list|remove`.
struct AdminMember: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "member", abstract: "Add, list and remove the members of a project.",
        subcommands: [Add.self, List.self, Remove.self]
    )

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add a member, or update their name, e-mail and username.")

        @OptionGroup var data: AdminDataOptions
        @Option(help: "The project id.") var project: String
        @Option(help: "The user id (the JWT sub claim).") var user: String
        @Option(help: "The display name (1-200 characters).") var name: String
        @Option(help: "The e-mail address mention notifications go to.") var email: String
        @Option(help: "The @mention name, unique in the project (case-insensitively).") var username: String

        func validate() throws {
            try AdminValidation.arguments { () throws(AdminError) in
                try AdminValidation.entityID(project, "--project")
                try AdminValidation.userID(user, "--user")
                try AdminValidation.name(name, "--name")
                try AdminValidation.email(email, "--email")
                try AdminValidation.username(username, "--username")
            }
        }

        func run() throws {
            let member = Member(projectID: project, userID: user, displayName: name, email: email, username: username)
            try AdminRunner.run(data.location) { session in
                let existed = try await Self.save(member, session)
                print("\(existed ? "updated" : "added") member \(member.userID) (@\(member.username)) in \(member.projectID)")
            }
        }

        /// Upserts the member after checking the project and the username; returns
        /// whether they were a member already. Shared with `seed`.
        static func save(_ member: Member, _ session: AdminSession) async throws -> Bool {
            _ = try await session.requireProject(member.projectID)
            let members = try await session.store.members(projectID: member.projectID)
            if let holder = members.first(where: {
                $0.userID != member.userID && $0.username.lowercased() == member.username.lowercased()
            }) {
                throw AdminError.failure(
                    "username \(member.username) is already taken in project \(member.projectID) by \(holder.userID)")
            }
            do {
                try await session.store.upsertMember(member)
            } catch {
                // Another process took the username between the check and the write.
                guard error.code == .constraint else { throw error }
                throw AdminError.failure("username \(member.username) is already taken in project \(member.projectID)")
            }
            return members.contains { $0.userID == member.userID }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List a project's members, ordered by username.")

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
                let members = try await session.store.members(projectID: project)
                if json {
                    print(AdminJSON.members(members, project: project))
                } else if members.isEmpty {
                    print("project \(project) has no members")
                } else {
                    var table = AdminTable("USER", "USERNAME", "NAME", "EMAIL")
                    for member in members { table.add(member.userID, member.username, member.displayName, member.email) }
                    print(table.render())
                }
            }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Remove a membership (past events keep their actor).")

        @OptionGroup var data: AdminDataOptions
        @Option(help: "The project id.") var project: String
        @Option(help: "The user id.") var user: String

        func validate() throws {
            try AdminValidation.arguments { () throws(AdminError) in
                try AdminValidation.entityID(project, "--project")
                try AdminValidation.userID(user, "--user")
            }
        }

        func run() throws {
            let (project, user) = (project, user)
            try AdminRunner.run(data.location) { session in
                _ = try await session.requireProject(project)
                guard try await session.store.member(projectID: project, userID: user) != nil else {
                    throw AdminError.failure("\(user) is not a member of project \(project)")
                }
                try await session.store.removeMember(projectID: project, userID: user)
                print("removed member \(user) from \(project)")
            }
        }
    }
}
