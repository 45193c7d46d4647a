import ArgumentParser

/// `hubbub admin`: seeds and lists projects, members, columns and cards in the embedded
/// (SQLite) store. Safe while `hubbub serve` runs on the same data directory.
struct Admin: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Seed and list projects, members, columns and cards in the embedded store.",
        discussion: """
            Every subcommand takes --data-dir (default: $\(DataDirectory.environmentVariable), \
            else \(DataDirectory.defaultPath)). Exit status: 0 on success, 64 for invalid input, \
            1 when the store refuses (missing project, taken username) or fails.
            Quick start: hubbub admin seed --demo
            """,
        subcommands: [AdminProject.self, AdminMember.self, AdminColumn.self, AdminCard.self, AdminSeed.self]
    )
}
