import Foundation
import Glibc
import HubbubPostgres
import HubbubStore

/// Where the hub's data lives: the embedded SQLite file of a data directory (the
/// default), or a PostgreSQL database (`--database-url`, else `$HUBBUB_DATABASE_URL`).
/// `hubbub serve` and `hubbub admin` choose the same way.
enum StoreLocation: Sendable, CustomStringConvertible {
    case sqlite(DataDirectory)
    case postgres(url: String, configuration: PostgresStore.Configuration)

    static let environmentVariable = "HUBBUB_DATABASE_URL"

    /// PostgreSQL when a URL is given (flag, else environment), else the data directory.
    static func resolve(
        databaseURL: String?, dataDirectory: DataDirectory,
        configuration: PostgresStore.Configuration = PostgresStore.Configuration()
    ) -> StoreLocation {
        let url = databaseURL ?? getenv(environmentVariable).map { String(cString: $0) }
        if let url, !url.isEmpty { return .postgres(url: url, configuration: configuration) }
        return .sqlite(dataDirectory)
    }

    func open() async throws(StoreError) -> any Store {
        switch self {
        case .sqlite(let directory): try await directory.openStore()
        case .postgres(let url, let configuration): try await PostgresStore(url: url, configuration: configuration)
        }
    }

    /// For logs and messages: never the URL's password.
    var description: String {
        switch self {
        case .sqlite(let directory): "sqlite \(directory.databasePath)"
        case .postgres(let url, _): "postgresql \(Self.redacted(url))"
        }
    }

    var kind: String {
        switch self {
        case .sqlite: "sqlite"
        case .postgres: "postgresql"
        }
    }

    /// `postgres://user:secret@host/db` → `postgres://user:***@host/db`; key/value strings
    /// lose their `password=` value.
    static func redacted(_ url: String) -> String {
        if let scheme = url.range(of: "://"), let at = url[scheme.upperBound...].firstIndex(of: "@") {
            let credentials = url[scheme.upperBound..<at]
            if let colon = credentials.firstIndex(of: ":") {
                return String(url[..<colon]) + ":***" + String(url[at...])
            }
            return url
        }
        return url.split(separator: " ").map { $0.hasPrefix("password=") ? "password=***" : String($0) }.joined(separator: " ")
    }
}
