import HubbubStore

/// Comments and custom events: the event, the comment's rows, and the outbox rows
/// the command asks for, all written with the event.
extension PostgresCommandWriter {
    static let selectCardTitle = "SELECT title FROM cards WHERE project_id = $1 AND id = $2"
    static let selectMembers =
        "SELECT user_id, username, email FROM members WHERE project_id = $1 AND user_id = ANY($2::text[])"
    static let insertComment = """
        INSERT INTO comments (project_id, id, card_id, author_id, text, created_at, event_id)
        VALUES ($1, $2, $3, $4, $5, $6, $7)
        """
    static let insertMention = "INSERT INTO mentions (project_id, comment_id, user_id) VALUES ($1, $2, $3)"
    static let insertOutbox = """
        INSERT INTO outbox (room, user_id, email, kind, event_id, seq, payload, created_at, updated_at)
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
        """

    func comment(
        _ command: Command, _ fingerprint: Int64, _ rooms: inout Rooms, cardID: String, text: String,
        mentions: [String], notify: [String]
    ) throws(StoreError) -> CommandOutcome {
        let reads = [
            PostgresStatement(Self.selectCardTitle, [.text(command.room), .text(cardID)]),
            PostgresStatement(Self.selectMembers, [.text(command.room), .textArray(mentions + notify)]),
        ]
        let results: [PostgresResult]
        let project: Project
        let seq: Int64
        switch try readPhase(command, fingerprint, &rooms, reads) {
        case .decided(let outcome): return outcome
        case .results(let r, let p, let s): (results, project, seq) = (r, p, s)
        }
        guard let cardTitle = results[0].first({ $0.text($1, 0) }) else { return .notFound(.card(cardID)) }
        let members = Self.members(results[1])

        var mentioned: [(userID: String, username: String)] = []
        var seen = Set<String>()
        for userID in mentions where seen.insert(userID).inserted {
            if let member = members[userID] { mentioned.append((userID, member.username)) }
        }
        let commentID = UUIDv7.make(unixMillis: command.time)
        let event = makeEvent(
            command, seq: seq, type: StoredEvent.commentCreated,
            payload: StoreEncoding.commentCreated(
                commentID: commentID, cardID: cardID, text: text, mentions: mentioned))

        var writes = [
            PostgresStatement(
                Self.insertComment,
                [
                    .text(project.id), .text(commentID), .text(cardID), .text(Self.actorID(command.actor)),
                    .text(text), .int(command.time), .text(event.eventID),
                ])
        ]
        for mention in mentioned {
            writes.append(
                PostgresStatement(Self.insertMention, [.text(project.id), .text(commentID), .text(mention.userID)]))
        }
        if !notify.isEmpty {
            let body = StoreEncoding.mentionNotification(
                project: project, cardID: cardID, cardTitle: cardTitle, commentID: commentID, text: text,
                actor: command.actor, eventID: event.eventID, seq: event.seq)
            writes += Self.outboxRows(to: notify, members: members, kind: "mention", event: event, payload: body)
        }
        return try writePhase(command, fingerprint, &rooms, event: event, writes)
    }

    func custom(
        _ command: Command, _ fingerprint: Int64, _ rooms: inout Rooms, type: String, payload: String,
        notify: [String]
    ) throws(StoreError) -> CommandOutcome {
        let reads = [
            PostgresStatement("SELECT hubbub_is_json_object($1)", [.text(payload)]),
            PostgresStatement(Self.selectMembers, [.text(command.room), .textArray(notify)]),
        ]
        let results: [PostgresResult]
        let project: Project
        let seq: Int64
        switch try readPhase(command, fingerprint, &rooms, reads) {
        case .decided(let outcome): return outcome
        case .results(let r, let p, let s): (results, project, seq) = (r, p, s)
        }
        guard results[0].bool(0, 0) else {
            return .rejected(StoreError(code: .invalidArgument, message: "the payload of \(type) is not a JSON object"))
        }
        let event = makeEvent(command, seq: seq, type: type, payload: payload)
        var writes: [PostgresStatement] = []
        if !notify.isEmpty {
            let body = StoreEncoding.customNotification(project: project, event: event)
            writes = Self.outboxRows(
                to: notify, members: Self.members(results[1]), kind: type, event: event, payload: body)
        }
        return try writePhase(command, fingerprint, &rooms, event: event, writes)
    }

    /// One `pending` row per distinct member of `userIDs`, in order; non-members are skipped.
    private static func outboxRows(
        to userIDs: [String], members: [String: (username: String, email: String)], kind: String,
        event: StoredEvent, payload: String
    ) -> [PostgresStatement] {
        var seen = Set<String>()
        var rows: [PostgresStatement] = []
        for userID in userIDs where seen.insert(userID).inserted {
            guard let member = members[userID] else { continue }
            rows.append(
                PostgresStatement(
                    insertOutbox,
                    [
                        .text(event.room), .text(userID), .text(member.email), .text(kind), .text(event.eventID),
                        .int(event.seq), .text(payload), .int(event.time),
                    ]))
        }
        return rows
    }

    private static func members(_ result: PostgresResult) -> [String: (username: String, email: String)] {
        var members: [String: (username: String, email: String)] = [:]
        for row in 0..<result.rowCount {
            members[result.text(row, 0)] = (result.text(row, 1), result.text(row, 2))
        }
        return members
    }

    private static func actorID(_ actor: EventActor) -> String {
        switch actor {
        case .user(let id, _): id
        case .service(let name): name
        }
    }
}
