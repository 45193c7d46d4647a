import ArgumentParser
import Foundation
import HubbubPostgres
import HubbubStore

/// `hubbub migrate`: applies the PostgreSQL store's pending schema migrations. Safe
/// while other nodes run or migrate (an advisory lock serializes migrations).
struct Migrate: ParsableCommand {
    static let environmentVariable = "HUBBUB_DATABASE_URL"

    static let configuration = CommandConfiguration(
        abstract: "Apply the pending PostgreSQL schema migrations (forward-only, recorded in schema_migrations).",
        discussion: """
            Exit status: 0 when the schema is current (whether or not this run changed it), \
            1 when the database cannot be reached or its schema is newer than this hubbub.
            """
    )

    @Option(help: "libpq connection URL or key/value string, e.g. postgres://user:pass@host:5432/hubbub?sslmode=verify-full (default: $\(Migrate.environmentVariable)).")
    var databaseURL: String?

    @Option(help: "Seconds to wait for the connection.")
    var connectTimeout = 10

    func run() throws {
        guard let url = databaseURL ?? getenv(Self.environmentVariable).map({ String(cString: $0) }), !url.isEmpty
        else {
            throw ValidationError("pass --database-url or set \(Self.environmentVariable)")
        }
        var configuration = PostgresStore.Configuration()
        configuration.connectTimeout = .seconds(max(connectTimeout, 2))
        let settings = configuration
        let result: Result<[Int], StoreError> = try blocking {
            do throws(StoreError) {
                return .success(try await PostgresStore.migrate(url: url, configuration: settings))
            } catch {
                return .failure(error)
            }
        }
        switch result {
        case .success(let applied) where applied.isEmpty:
            print("schema is current (version \(PostgresStore.schemaVersion))")
        case .success(let applied):
            print("applied migrations \(applied.map(String.init).joined(separator: ", ")); schema is at version \(PostgresStore.schemaVersion)")
        case .failure(let error):
            FileHandle.standardError.write(Data("hubbub migrate: \(error)\n".utf8))
            throw ExitCode(1)
        }
    }
}

