import ArgumentParser

/// `--data-dir` (or `--database-url`), taken by every `hubbub admin` subcommand.
struct AdminDataOptions: ParsableArguments {
    @Option(
        name: .customLong("data-dir"),
        help: ArgumentHelp(
            "Directory holding hubbub.sqlite3 (default: $\(DataDirectory.environmentVariable), else \(DataDirectory.defaultPath)).",
            valueName: "dir"
        )
    )
    var dataDir: String?

    @Option(help: "A PostgreSQL database instead (libpq URL; default: $HUBBUB_DATABASE_URL).")
    var databaseURL: String?

    var directory: DataDirectory { DataDirectory(flag: dataDir) }

    var location: StoreLocation { StoreLocation.resolve(databaseURL: databaseURL, dataDirectory: directory) }
}
