import Glibc
import CLibPQ
import HubbubStore

/// One libpq connection (`PGconn`), owned by this object: opened by `init`, finished by
/// `deinit`. It is used by one pool thread at a time and blocks that thread, never a
/// Swift concurrency thread.
///
/// Every parameterized statement is prepared once per connection (named `h1`, `h2`,
/// ...) and then executed by name; statements are sent in pipelines (see
/// ``pipeline(_:)``), so a group of statements costs one round trip.
final class PostgresConnection {
    private let connection: OpaquePointer
    /// SQL text → name of the statement prepared for it on this connection.
    private var prepared: [String: String] = [:]
    /// Set when libpq's state can no longer be trusted (a send failed, a reply is
    /// missing): the pool then replaces the connection.
    private var poisoned = false

    /// Connects (blocking, up to the connect timeout) and sets the session up.
    init(_ parameters: ConnectionParameters) throws(StoreError) {
        let pairs = parameters.keywordsAndValues
        // Both arrays end with a NULL entry.
        let opened: OpaquePointer? = try withCStrings(pairs.map(\.keyword) + [nil]) { keywords throws(StoreError) in
            try withCStrings(pairs.map(\.value) + [nil]) { values throws(StoreError) in
                PQconnectdbParams(keywords, values, 1)
            }
        }
        guard let opened else { throw StoreError.connectionLost("out of memory") }
        guard PQstatus(opened) == CONNECTION_OK else {
            let message = Self.trimmed(PQerrorMessage(opened))
            PQfinish(opened)
            throw StoreError.connectionLost(message)
        }
        connection = opened
        // Notices (e.g. "relation already exists, skipping") would go to stderr.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        try execute(script: parameters.sessionSetup)
    }

    deinit {
        PQfinish(connection)
    }

    /// Whether the connection is lost; a lost connection is never used again.
    var isBroken: Bool { poisoned || PQstatus(connection) != CONNECTION_OK }

    /// Whether no transaction is open (the state the pool hands a connection out in).
    var isIdle: Bool { PQtransactionStatus(connection) == PQTRANS_IDLE }

    /// Whether the server closed this idle connection meanwhile (a restart, a terminated
    /// backend): its socket is readable although no query is outstanding, and reading it
    /// fails or reports the end. Costs one `poll` with a zero timeout; lets the pool
    /// reconnect before a job instead of failing it.
    var wasClosedByServer: Bool {
        if isBroken { return true }
        var descriptor = pollfd(fd: PQsocket(connection), events: Int16(POLLIN), revents: 0)
        guard descriptor.fd >= 0 else { return true }
        guard poll(&descriptor, 1, 0) > 0 else { return false }
        if descriptor.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0 { return true }
        return PQconsumeInput(connection) == 0 || PQstatus(connection) != CONNECTION_OK
    }

    /// Runs SQL text without parameters, possibly several statements (simple query
    /// protocol); the result of the last one is returned.
    @discardableResult
    func execute(script: String) throws(StoreError) -> PostgresResult {
        guard let result = PQexec(connection, script) else { throw lost() }
        return try check(result)
    }

    /// Runs one statement.
    @discardableResult
    func query(_ sql: String, _ parameters: [PostgresValue] = []) throws(StoreError) -> PostgresResult {
        let outcome = try pipeline([PostgresStatement(sql, parameters)])
        if let failure = outcome.failure { throw failure.error }
        return outcome.results[0]!
    }

    /// Sends the statements in one pipeline (libpq pipeline mode, one round trip) and
    /// reads their results. They run in order; after a failing one the server skips the
    /// rest (``PipelineOutcome/failure``). A statement error is returned, not thrown;
    /// a lost connection throws ``StoreError/Code/unavailable``, and a parameter
    /// PostgreSQL cannot take throws ``StoreError/Code/invalidArgument`` before anything
    /// is sent.
    func pipeline(_ statements: [PostgresStatement]) throws(StoreError) -> PipelineOutcome {
        guard !poisoned else { throw StoreError.connectionLost("the connection was lost earlier") }
        // Encoded before anything is sent: a value PostgreSQL cannot take (text with a
        // NUL) throws ``StoreError/Code/invalidArgument`` with nothing sent at all.
        let encoded = try statements.map { statement throws(StoreError) in
            try statement.parameters.map { value throws(StoreError) in try value.encoded() }
        }
        guard PQenterPipelineMode(connection) == 1 else { throw lost() }

        // What each result read back belongs to: a Prepare (of a name) or statement i.
        enum Expected {
            case prepare(name: String, sql: String, statement: Int)
            case statement(Int)
        }
        var expected: [Expected] = []
        var pendingNames: [String: String] = [:]
        for (index, statement) in statements.enumerated() {
            var name = prepared[statement.sql] ?? pendingNames[statement.sql]
            if name == nil {
                let newName = "h\(prepared.count + pendingNames.count + 1)"
                guard PQsendPrepare(connection, newName, statement.sql, 0, nil) == 1 else { throw lost() }
                expected.append(.prepare(name: newName, sql: statement.sql, statement: index))
                pendingNames[statement.sql] = newName
                name = newName
            }
            let values = encoded[index]
            let sent = try withCStrings(values) { pointers throws(StoreError) in
                PQsendQueryPrepared(connection, name, Int32(values.count), pointers, nil, nil, 0)
            }
            guard sent == 1 else { throw lost() }
            expected.append(.statement(index))
        }
        guard PQpipelineSync(connection) == 1 else { throw lost() }

        var outcome = PipelineOutcome(results: Array(repeating: nil, count: statements.count), failure: nil)
        for item in expected {
            guard let result = PQgetResult(connection) else { throw lost() }
            let status = PQresultStatus(result)
            var failure: StoreError?
            if status == PGRES_PIPELINE_ABORTED {
                PQclear(result)
            } else if status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK {
                switch item {
                case .prepare(let name, let sql, _):
                    prepared[sql] = name
                    PQclear(result)
                case .statement(let index):
                    outcome.results[index] = PostgresResult(owning: result)
                }
            } else {
                failure = error(of: result)
                PQclear(result)
            }
            // Each statement's results end with a NULL.
            guard PQgetResult(connection) == nil else { throw lost() }
            if let failure, outcome.failure == nil {
                switch item {
                case .statement(let index), .prepare(_, _, let index): outcome.failure = (index, failure)
                }
            }
        }
        guard let sync = PQgetResult(connection) else { throw lost() }
        let syncStatus = PQresultStatus(sync)
        PQclear(sync)
        guard syncStatus == PGRES_PIPELINE_SYNC, PQexitPipelineMode(connection) == 1 else { throw lost() }
        if isBroken { throw lost(outcome.failure?.error.message) }
        return outcome
    }

    // MARK: Errors

    private func check(_ result: OpaquePointer) throws(StoreError) -> PostgresResult {
        let status = PQresultStatus(result)
        guard status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK else {
            let failure = error(of: result)
            PQclear(result)
            throw failure
        }
        return PostgresResult(owning: result)
    }

    /// The error a failed result carries; one without a SQLSTATE was made by libpq
    /// itself (the connection is gone).
    private func error(of result: OpaquePointer) -> StoreError {
        guard let state = PQresultErrorField(result, Int32(UInt8(ascii: "C"))) else {
            poisoned = poisoned || PQstatus(connection) != CONNECTION_OK
            return StoreError.connectionLost(Self.trimmed(PQresultErrorMessage(result)))
        }
        let primary = PQresultErrorField(result, Int32(UInt8(ascii: "M")))
        return StoreError.postgres(
            sqlState: String(cString: state), message: primary.map { String(cString: $0) } ?? "error")
    }

    /// Marks the connection unusable and describes why.
    private func lost(_ detail: String? = nil) -> StoreError {
        poisoned = true
        let message = Self.trimmed(PQerrorMessage(connection))
        return StoreError.connectionLost(message.isEmpty ? (detail ?? "lost") : message)
    }

    private static func trimmed(_ message: UnsafePointer<CChar>?) -> String {
        guard let message else { return "" }
        var text = String(cString: message)
        while text.last?.isWhitespace == true { text.removeLast() }
        return text
    }
}

/// The results of a pipeline: one per statement up to the first failure.
struct PipelineOutcome {
    /// `nil` for the failed statement and the ones the server skipped after it.
    var results: [PostgresResult?]
    /// The first failing statement and its error.
    var failure: (index: Int, error: StoreError)?

    /// The results, or the first error thrown.
    func get() throws(StoreError) -> [PostgresResult] {
        if let failure { throw failure.error }
        return results.map { $0! }
    }
}
