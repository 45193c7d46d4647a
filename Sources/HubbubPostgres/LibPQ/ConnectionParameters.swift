/// What a pool connection is opened with: the operator's connection string plus the
/// store's defaults, as the keyword/value pairs of `PQconnectdbParams`.
///
/// The URL (`postgres://user:pass@host:port/db?sslmode=verify-full&...`) or key/value
/// string (`host=... dbname=...`) is libpq's own, expanded by libpq (`expand_dbname`),
/// so every libpq parameter works, SSL modes included. The store's defaults
/// (`connect_timeout`, TCP keepalives, `application_name`) come before it, so the
/// connection string overrides them; `client_encoding=UTF8` comes after it, because the
/// store sends and reads UTF-8 only.
struct ConnectionParameters: Sendable, Hashable {
    let connectionString: String
    let connectTimeoutSeconds: Int
    let statementTimeoutMillis: Int

    /// The pairs in the order libpq applies them (later ones win).
    var keywordsAndValues: [(keyword: String, value: String)] {
        [
            ("connect_timeout", String(max(connectTimeoutSeconds, 2))),
            // A dead server (host down, network cut) is noticed in about 25 s even
            // while a statement waits for its reply.
            ("keepalives", "1"),
            ("keepalives_idle", "10"),
            ("keepalives_interval", "5"),
            ("keepalives_count", "3"),
            ("application_name", "hubbub"),
            ("dbname", connectionString),
            ("client_encoding", "UTF8"),
        ]
    }

    /// Run once on each new connection: the statement timeout, and a durable commit
    /// even where the server's default is `synchronous_commit = off` (the store acks an
    /// event only once it is durable).
    var sessionSetup: String {
        """
        SET statement_timeout = \(max(statementTimeoutMillis, 0));
        SELECT set_config('synchronous_commit', 'on', false) WHERE current_setting('synchronous_commit') = 'off'
        """
    }
}
