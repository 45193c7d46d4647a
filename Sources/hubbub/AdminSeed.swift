import ArgumentParser
import Foundation

/// `hubbub admin seed FILE | --demo`.
struct AdminSeed: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seed",
        abstract: "Create or update projects, members, columns and cards from a JSON file (idempotent).",
        discussion: """
            FILE (- for stdin): {"projects": [{"id", "name", "members": [{"user_id", "name", "email", \
            "username"}], "columns": [{"id", "name", "cards": [{"id"?, "title"}]}]}]}. \
            Projects, members and columns are upserted; cards are created only in columns that have \
            none, so running the same seed twice creates nothing new. --demo seeds the quick-start \
            project p_demo.
            """
    )

    @OptionGroup var data: AdminDataOptions
    @Argument(help: "The seed file, or - for standard input.") var file: String?
    @Flag(help: "Seed the demo project p_demo (members u_alice, u_bob, u_carol; three columns; three cards).")
    var demo = false

    func validate() throws {
        switch (file, demo) {
        case (nil, false): throw ValidationError("give a seed FILE (or - for stdin), or --demo")
        case (.some, true): throw ValidationError("give either a seed FILE or --demo, not both")
        default: break
        }
    }

    func run() throws {
        let document: AdminSeedDocument
        if let file {
            do {
                document = try AdminSeedDocument.parse(try Self.read(file), source: file == "-" ? "stdin" : file)
            } catch {
                throw AdminRunner.exit(error)
            }
        } else {
            document = .demo
        }
        try AdminRunner.run(data.location) { session in
            for entry in document.projects {
                print(try await AdminSeeder.apply(entry, session))
            }
            if document.projects.isEmpty { print("the seed file lists no projects: nothing to do") }
        }
    }

    private static func read(_ file: String) throws(AdminError) -> [UInt8] {
        if file == "-" {
            return Array(FileHandle.standardInput.readDataToEndOfFile())
        }
        guard let data = FileManager.default.contents(atPath: file) else {
            throw .usage("cannot read seed file \(file)")
        }
        return Array(data)
    }
}
