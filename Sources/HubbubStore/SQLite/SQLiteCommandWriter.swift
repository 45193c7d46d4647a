/// Applies ``Command``s on the writer connection: the SQLite side of ``Store/commit(_:)``.
///
/// One `BEGIN IMMEDIATE` transaction per batch (the write lock is taken up front, so
/// the head seq read inside cannot be stale, even with another process writing the same
/// file), one savepoint per command, one `COMMIT` (one WAL fsync) per batch.
struct SQLiteCommandWriter {
    let db: SQLiteConnection

    func commit(_ batch: [Command]) throws(StoreError) -> [CommandOutcome] {
        try db.transaction(immediate: true) { () throws(StoreError) -> [CommandOutcome] in
            var outcomes: [CommandOutcome] = []
            outcomes.reserveCapacity(batch.count)
            for command in batch {
                try db.run("SAVEPOINT command")
                let outcome: CommandOutcome
                do throws(StoreError) {
                    outcome = try apply(command)
                } catch {
                    outcome = .rejected(error)
                }
                guard db.inTransaction else {
                    // SQLite rolled the whole transaction back by itself (I/O error, disk
                    // full, ...): nothing of the batch can be stored.
                    if case .rejected(let error) = outcome { throw error }
                    throw StoreError(code: .internal, message: "the transaction ended inside a command")
                }
                if case .stored = outcome {
                    try db.run("RELEASE command")
                } else {
                    try db.run("ROLLBACK TO command")
                    try db.run("RELEASE command")
                }
                outcomes.append(outcome)
            }
            return outcomes
        }
    }

    // MARK: One command

    private func apply(_ command: Command) throws(StoreError) -> CommandOutcome {
        let fingerprint = CommandFingerprint(command).signed
        if let key = command.requestKey, let previous = try previousReply(key) {
            return previous.fingerprint == fingerprint ? .duplicate(previous.event) : .keyReused
        }
        guard let project = try project(command.room) else { return .notFound(.project(command.room)) }

        let outcome: CommandOutcome
        switch command.kind {
        case .comment(let cardID, let text, let mentions, let notify):
            outcome = try comment(
                command, project: project, cardID: cardID, text: text, mentions: mentions, notify: notify)
        case .createCard(let cardID, let columnID, let position, let title):
            outcome = try createCard(command, cardID: cardID, columnID: columnID, position: position, title: title)
        case .moveCard(let cardID, let toColumn, let toPosition, let expectedVersion):
            outcome = try moveCard(
                command, cardID: cardID, toColumn: toColumn, toPosition: toPosition,
                expectedVersion: expectedVersion)
        case .updateCard(let cardID, let title, let expectedVersion):
            outcome = try updateCard(command, cardID: cardID, title: title, expectedVersion: expectedVersion)
        case .deleteCard(let cardID, let expectedVersion):
            outcome = try deleteCard(command, cardID: cardID, expectedVersion: expectedVersion)
        case .custom(let type, let payload, let notify):
            outcome = try custom(
                command, project: project, type: type, payload: payload,
                notify: notify.filter { !command.skipNotify.contains($0) })
        }

        if case .stored(let event) = outcome, let key = command.requestKey {
            try db.run(
                SQLiteRecords.insertIdempotencyKey,
                [.text(key.scope), .text(key.key), .int(fingerprint)] + SQLiteRecords.eventValues(event)
            )
        }
        return outcome
    }

    private func comment(
        _ command: Command, project: Project, cardID: String, text: String, mentions: [String], notify: [String]
    ) throws(StoreError) -> CommandOutcome {
        guard let card = try card(project.id, cardID) else { return .notFound(.card(cardID)) }
        var mentioned: [(userID: String, username: String)] = []
        var seen = Set<String>()
        for userID in mentions where seen.insert(userID).inserted {
            if let member = try member(project.id, userID) { mentioned.append((userID, member.username)) }
        }
        let commentID = UUIDv7.make(unixMillis: command.time)
        let event = try appendEvent(
            command, type: StoredEvent.commentCreated,
            payload: EventPayload.commentCreated(
                commentID: commentID, cardID: cardID, text: text, mentions: mentioned))

        try db.run(
            """
            INSERT INTO comments (project_id, id, card_id, author_id, text, created_at, event_id)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """,
            [
                .text(project.id), .text(commentID), .text(cardID), .text(Self.actorID(command.actor)),
                .text(text), .int(command.time), .text(event.eventID),
            ]
        )
        for mention in mentioned {
            try db.run(
                "INSERT INTO mentions (project_id, comment_id, user_id) VALUES (?, ?, ?)",
                [.text(project.id), .text(commentID), .text(mention.userID)]
            )
        }
        if !notify.isEmpty {
            let body = NotificationPayload.mention(
                project: project, cardID: card.id, cardTitle: card.title, commentID: commentID, text: text,
                actor: command.actor, eventID: event.eventID, seq: event.seq)
            try writeOutbox(to: notify, kind: "mention", event: event, payload: body)
        }
        return .stored(event)
    }

    private func custom(
        _ command: Command, project: Project, type: String, payload: String, notify: [String]
    ) throws(StoreError) -> CommandOutcome {
        let isObject = try db.queryFirst(
            "SELECT CASE WHEN json_valid(?1) THEN json_type(?1) = 'object' ELSE 0 END", [.text(payload)]
        ) { row throws(StoreError) in row.int(0) == 1 }
        guard isObject == true else {
            return .rejected(StoreError(code: .invalidArgument, message: "the payload of \(type) is not a JSON object"))
        }
        let event = try appendEvent(command, type: type, payload: payload)
        if !notify.isEmpty {
            let body = NotificationPayload.custom(project: project, event: event)
            try writeOutbox(to: notify, kind: type, event: event, payload: body)
        }
        return .stored(event)
    }

    // MARK: Building blocks

    /// Takes the room's next seq (inside the transaction, under the write lock) and
    /// appends the event.
    func appendEvent(_ command: Command, type: String, payload: String) throws(StoreError) -> StoredEvent {
        let seq = try db.queryFirst(
            """
            INSERT INTO rooms (room, head_seq) VALUES (?, 1)
            ON CONFLICT (room) DO UPDATE SET head_seq = head_seq + 1
            RETURNING head_seq
            """,
            [.text(command.room)]
        ) { row throws(StoreError) in row.int64(0) }
        guard let seq else { throw StoreError(code: .internal, message: "no seq for room \(command.room)") }
        let event = StoredEvent(
            eventID: UUIDv7.make(unixMillis: command.time), room: command.room, seq: seq, type: type,
            actor: command.actor, correlationID: command.correlationID, time: command.time, payload: payload)
        try db.run(
            SQLiteRecords.insertEvent,
            SQLiteRecords.eventValues(event)
        )
        return event
    }

    /// One `pending` row per distinct member of `userIDs`; non-members are skipped.
    private func writeOutbox(to userIDs: [String], kind: String, event: StoredEvent, payload: String)
        throws(StoreError)
    {
        var seen = Set<String>()
        for userID in userIDs where seen.insert(userID).inserted {
            guard let member = try member(event.room, userID) else { continue }
            try db.run(
                """
                INSERT INTO outbox (room, user_id, email, kind, event_id, seq, payload, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
                [
                    .text(event.room), .text(userID), .text(member.email), .text(kind), .text(event.eventID),
                    .int(event.seq), .text(payload), .int(event.time), .int(event.time),
                ]
            )
        }
    }

    private static func actorID(_ actor: EventActor) -> String {
        switch actor {
        case .user(let id, _): id
        case .service(let name): name
        }
    }
}
