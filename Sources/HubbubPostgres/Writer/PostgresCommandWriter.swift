import HubbubStore

/// Applies ``Command``s on one pool connection: the PostgreSQL side of
/// ``Store/commit(_:)``.
///
/// One transaction per batch. It starts by locking the `rooms` rows of the batch's rooms
/// (`FOR UPDATE`, in room order, so two batches never deadlock on them) and reading
/// their head seqs: from then on no other session (another pool connection, another
/// hub node) can write those rooms until this transaction ends, so the seqs computed
/// here are the next ones, and every read sees the rooms' latest committed state.
///
/// Each command then costs two pipelines (two round trips): its reads (after a
/// `SAVEPOINT`), and, if it is to be stored, its writes (the `rooms` increment, the
/// event, its rows, its request key). A command that fails before writing leaves
/// nothing to undo; one whose writes fail is rolled back to its savepoint; the batch
/// goes on either way. One `COMMIT` ends the batch: ``commit(_:)`` returns only after
/// it succeeded.
struct PostgresCommandWriter {
    let db: PostgresConnection

    /// What the batch's transaction knows about its locked rooms.
    struct Rooms {
        /// Head seq of each locked room, advanced as commands are stored.
        var heads: [String: Int64] = [:]
        var projects: [String: Project] = [:]
        /// A savepoint from an earlier command is still open (released lazily, with
        /// the next command's reads).
        var savepointOpen = false
    }

    /// What a command's read phase found.
    enum Reads {
        /// The command is decided without writing (duplicate, reused key, missing project).
        case decided(CommandOutcome)
        /// The results of the command's own reads, in order.
        case results([PostgresResult], project: Project, seq: Int64)
    }

    static let lockRooms = """
        SELECT r.room, r.head_seq, p.name FROM rooms r JOIN projects p ON p.id = r.room
        WHERE r.room = ANY($1::text[]) ORDER BY r.room FOR UPDATE OF r
        """

    func commit(_ batch: [Command]) throws(StoreError) -> [CommandOutcome] {
        let names = Array(Set(batch.map(\.room))).sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let opened = try db.pipeline([PostgresStatement("BEGIN"), PostgresStatement(Self.lockRooms, [.textArray(names)])])
            .get()
        var rooms = Rooms()
        for row in 0..<opened[1].rowCount {
            let room = opened[1].text(row, 0)
            rooms.heads[room] = opened[1].int64(row, 1)
            rooms.projects[room] = Project(id: room, name: opened[1].text(row, 2))
        }
        var outcomes: [CommandOutcome] = []
        outcomes.reserveCapacity(batch.count)
        for command in batch {
            outcomes.append(try apply(command, &rooms))
        }
        let committed = try db.execute(script: "COMMIT")
        guard committed.commandStatus == "COMMIT" else {
            throw StoreError(code: .internal, message: "the batch transaction was rolled back at COMMIT")
        }
        return outcomes
    }

    // MARK: One command

    private func apply(_ command: Command, _ rooms: inout Rooms) throws(StoreError) -> CommandOutcome {
        let fingerprint = StoreEncoding.fingerprint(command)
        switch command.kind {
        case .comment(let cardID, let text, let mentions, let notify):
            return try comment(
                command, fingerprint, &rooms, cardID: cardID, text: text, mentions: mentions, notify: notify)
        case .createCard(let cardID, let columnID, let position, let title):
            return try createCard(
                command, fingerprint, &rooms, cardID: cardID, columnID: columnID, position: position, title: title)
        case .moveCard(let cardID, let toColumn, let toPosition, let expectedVersion):
            return try moveCard(
                command, fingerprint, &rooms, cardID: cardID, toColumn: toColumn, toPosition: toPosition,
                expectedVersion: expectedVersion)
        case .updateCard(let cardID, let title, let expectedVersion):
            return try updateCard(command, fingerprint, &rooms, cardID: cardID, title: title, expectedVersion: expectedVersion)
        case .deleteCard(let cardID, let expectedVersion):
            return try deleteCard(command, fingerprint, &rooms, cardID: cardID, expectedVersion: expectedVersion)
        case .custom(let type, let payload, let notify):
            return try custom(
                command, fingerprint, &rooms, type: type, payload: payload,
                notify: notify.filter { !command.skipNotify.contains($0) })
        }
    }

    // MARK: Phases

    /// Opens the command's savepoint, looks up its request key, checks its project and
    /// runs `reads`, in one pipeline. A statement error rolls back to the savepoint and
    /// decides the command as ``CommandOutcome/rejected(_:)``.
    func readPhase(
        _ command: Command, _ fingerprint: Int64, _ rooms: inout Rooms, _ reads: [PostgresStatement]
    ) throws(StoreError) -> Reads {
        var statements: [PostgresStatement] = []
        if rooms.savepointOpen { statements.append(PostgresStatement("RELEASE SAVEPOINT command")) }
        statements.append(PostgresStatement("SAVEPOINT command"))
        let first = statements.count
        if let key = command.requestKey {
            statements.append(PostgresStatement(PostgresRecords.selectIdempotencyKey, [.text(key.scope), .text(key.key)]))
        }
        let project = rooms.projects[command.room]
        if project != nil { statements += reads }

        let outcome: PipelineOutcome
        do throws(StoreError) {
            outcome = try db.pipeline(statements)
        } catch where error.code == .invalidArgument {
            return .decided(.rejected(error))  // nothing was sent
        }
        if let failure = outcome.failure {
            guard failure.index >= first else { throw failure.error }
            try rollbackToSavepoint()
            rooms.savepointOpen = true
            return .decided(.rejected(failure.error))
        }
        rooms.savepointOpen = true
        var results = outcome.results.dropFirst(first).map { $0! }
        if command.requestKey != nil {
            let previous = results.removeFirst()
            if previous.rowCount > 0 {
                let event = PostgresRecords.event(previous, 0, from: 1)
                return .decided(previous.int64(0, 0) == fingerprint ? .duplicate(event) : .keyReused)
            }
        }
        guard let project, let head = rooms.heads[command.room] else {
            return .decided(.notFound(.project(command.room)))
        }
        return .results(results, project: project, seq: head + 1)
    }

    /// Stores `event` (which carries the room's next seq) with the command's own
    /// `writes` and its request key, in one pipeline.
    func writePhase(
        _ command: Command, _ fingerprint: Int64, _ rooms: inout Rooms, event: StoredEvent,
        _ writes: [PostgresStatement]
    ) throws(StoreError) -> CommandOutcome {
        var statements = [
            PostgresStatement(
                "UPDATE rooms SET head_seq = head_seq + 1 WHERE room = $1 RETURNING head_seq", [.text(event.room)]),
            PostgresStatement(PostgresRecords.insertEvent, PostgresRecords.eventValues(event)),
        ]
        statements += writes
        if let key = command.requestKey {
            statements.append(
                PostgresStatement(
                    PostgresRecords.insertIdempotencyKey,
                    [.text(key.scope), .text(key.key), .int(fingerprint)] + PostgresRecords.eventValues(event)))
        }
        let outcome: PipelineOutcome
        do throws(StoreError) {
            outcome = try db.pipeline(statements)
        } catch where error.code == .invalidArgument {
            return .rejected(error)  // nothing was sent
        }
        if let failure = outcome.failure {
            try rollbackToSavepoint()
            return .rejected(failure.error)
        }
        let seq = outcome.results[0]!
        guard seq.rowCount == 1, seq.int64(0, 0) == event.seq else {
            // The room's row is locked by this transaction: anything else is a bug.
            throw StoreError(code: .internal, message: "room \(event.room): head seq moved under the lock")
        }
        if let key = command.requestKey, outcome.results.last!!.affectedRows == 0 {
            // Another room's command took the same key concurrently and committed first.
            try rollbackToSavepoint()
            let previous = try db.query(PostgresRecords.selectIdempotencyKey, [.text(key.scope), .text(key.key)])
            guard previous.rowCount > 0 else { return .keyReused }
            let original = PostgresRecords.event(previous, 0, from: 1)
            return previous.int64(0, 0) == fingerprint ? .duplicate(original) : .keyReused
        }
        rooms.heads[event.room] = event.seq
        return .stored(event)
    }

    /// A new event of `command` with the room's next seq.
    func makeEvent(_ command: Command, seq: Int64, type: String, payload: String) -> StoredEvent {
        StoredEvent(
            eventID: UUIDv7.make(unixMillis: command.time), room: command.room, seq: seq, type: type,
            actor: command.actor, correlationID: command.correlationID, time: command.time, payload: payload)
    }

    private func rollbackToSavepoint() throws(StoreError) {
        try db.execute(script: "ROLLBACK TO SAVEPOINT command")
    }
}
