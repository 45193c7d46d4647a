import Foundation
import HubbubStore

/// Where hubbub keeps its embedded database: the one rule `hubbub serve` and
/// `hubbub admin` share.
///
/// The directory is `--data-dir DIR` when given, else `$HUBBUB_DATA_DIR` when set and
/// not empty, else `./hubbub-data`. It holds the SQLite file `hubbub.sqlite3` (and its
/// `-wal` and `-shm` companions) and is created with mode 0700 when missing.
struct DataDirectory: Sendable, Hashable {
    /// The directory used when neither the flag nor the environment names one.
    static let defaultPath = "./hubbub-data"
    /// The environment variable read when `--data-dir` is absent.
    static let environmentVariable = "HUBBUB_DATA_DIR"
    /// The SQLite database file inside the directory.
    static let databaseFileName = "hubbub.sqlite3"

    /// The directory, as resolved (relative paths stay relative to the working directory).
    var path: String

    init(path: String) {
        self.path = path
    }

    /// The directory named by `flag` (the value of `--data-dir`, `nil` when absent).
    init(flag: String?) {
        self.init(path: Self.resolve(flag))
    }

    /// The flag when given, else `HUBBUB_DATA_DIR` when set and not empty, else
    /// ``defaultPath``.
    static func resolve(
        _ flag: String?, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> String {
        if let flag, !flag.isEmpty { return flag }
        if let variable = environment[environmentVariable], !variable.isEmpty { return variable }
        return defaultPath
    }

    /// The SQLite database file.
    var databasePath: String {
        path.hasSuffix("/") ? path + Self.databaseFileName : path + "/" + Self.databaseFileName
    }

    /// Creates the directory (mode 0700) if it is missing, then opens (creating and
    /// migrating as needed) the database in it. Close the store when done.
    func openStore(configuration: SQLiteStore.Configuration = SQLiteStore.Configuration())
        async throws(StoreError) -> SQLiteStore
    {
        try createIfMissing()
        return try await SQLiteStore(path: databasePath, configuration: configuration)
    }

    private func createIfMissing() throws(StoreError) {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw StoreError(code: .unavailable, message: "data directory \(path) exists and is not a directory")
            }
            return
        }
        do {
            try FileManager.default.createDirectory(
                atPath: path, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw StoreError(code: .unavailable, message: "cannot create data directory \(path): \(error)")
        }
    }
}
