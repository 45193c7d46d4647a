import CSQLite

/// Owns one database connection (`sqlite3*`) and its cache of prepared statements;
/// `deinit` finalizes the statements, then closes the connection.
///
/// Not `Sendable`: a connection is created on, used by and released on one
/// ``SQLiteWorker`` thread only, which is what lets it be opened with
/// `SQLITE_OPEN_NOMUTEX`.
final class SQLiteConnection {
    let path: String
    private let handle: OpaquePointer
    private var statements: [String: SQLiteStatement] = [:]

    /// Opens (read-write, creating the file if needed) the database at `path`.
    init(path: String) throws(StoreError) {
        var db: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &db, flags, nil)
        guard rc == SQLITE_OK, let db else {
            let message = db.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(db)
            throw StoreError.sqlite(rc, "cannot open \(path): \(message)")
        }
        sqlite3_extended_result_codes(db, 1)
        self.path = path
        self.handle = db
    }

    deinit {
        statements.removeAll()
        sqlite3_close_v2(handle)
    }

    /// Whether a transaction is open (SQLite rolls some back by itself after an I/O or
    /// disk-full error; callers check this before rolling back to a savepoint).
    var inTransaction: Bool { sqlite3_get_autocommit(handle) == 0 }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    var changes: Int { Int(sqlite3_changes64(handle)) }

    /// Runs a script of one or more statements without results (migrations, pragmas).
    func execute(script: String) throws(StoreError) {
        var errorMessage: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(handle, script, nil, nil, &errorMessage)
        if rc != SQLITE_OK {
            let message = errorMessage.map { String(cString: $0) } ?? lastMessage
            sqlite3_free(errorMessage)
            throw StoreError.sqlite(rc, message)
        }
    }

    /// Runs one statement to completion, ignoring rows.
    func run(_ sql: String, _ bindings: [SQLiteValue] = []) throws(StoreError) {
        _ = try query(sql, bindings) { _ throws(StoreError) in () }
    }

    /// Runs one (cached) statement and maps every row.
    func query<T>(
        _ sql: String, _ bindings: [SQLiteValue] = [], row: (SQLiteRow) throws(StoreError) -> T
    ) throws(StoreError) -> [T] {
        let statement = try prepared(sql)
        defer { statement.reset() }
        let bindRC = statement.bind(bindings)
        guard bindRC == SQLITE_OK else { throw StoreError.sqlite(bindRC, "bind: \(lastMessage)") }
        var rows: [T] = []
        while true {
            let rc = sqlite3_step(statement.handle)
            if rc == SQLITE_ROW {
                rows.append(try row(SQLiteRow(statement: statement.handle)))
            } else if rc == SQLITE_DONE {
                return rows
            } else {
                throw StoreError.sqlite(sqlite3_extended_errcode(handle), lastMessage)
            }
        }
    }

    /// The first row mapped, or `nil` if there is none.
    func queryFirst<T>(
        _ sql: String, _ bindings: [SQLiteValue] = [], row: (SQLiteRow) throws(StoreError) -> T
    ) throws(StoreError) -> T? {
        try query(sql, bindings, row: row).first
    }

    /// Runs `body` in a transaction: `BEGIN IMMEDIATE` takes the write lock at once (so
    /// values read inside are not stale when written back), `BEGIN` a read snapshot taken
    /// at the first read. Commits if `body` returns, rolls back if it throws.
    func transaction<T>(immediate: Bool, _ body: () throws(StoreError) -> T) throws(StoreError) -> T {
        try run(immediate ? "BEGIN IMMEDIATE" : "BEGIN")
        do throws(StoreError) {
            let result = try body()
            try run("COMMIT")
            return result
        } catch {
            if inTransaction { try? run("ROLLBACK") }
            throw error
        }
    }

    private var lastMessage: String { String(cString: sqlite3_errmsg(handle)) }

    private func prepared(_ sql: String) throws(StoreError) -> SQLiteStatement {
        if let statement = statements[sql] { return statement }
        var raw: OpaquePointer?
        let rc = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &raw, nil)
        guard rc == SQLITE_OK, let raw else {
            sqlite3_finalize(raw)
            throw StoreError.sqlite(rc, "prepare: \(lastMessage): \(sql)")
        }
        let statement = SQLiteStatement(owning: raw)
        statements[sql] = statement
        return statement
    }
}
