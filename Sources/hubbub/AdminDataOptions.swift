import ArgumentParser

/// `--data-dir`, taken by every `hubbub admin` subcommand.
struct AdminDataOptions: ParsableArguments {
    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp(
            "Directory holding hubbub.sqlite3 (default: $\(DataDirectory.environmentVariable), else \(DataDirectory.defaultPath)).",
            valueName: "dir"
        )
    )
    var dataDir: String?

    var directory: DataDirectory { DataDirectory(flag: dataDir) }
}
