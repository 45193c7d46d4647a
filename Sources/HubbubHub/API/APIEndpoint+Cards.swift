import HubbubAuth
import HubbubHTTP
import HubbubJSON
import HubbubStore

/// The board and its cards: every change is a durable room event (`card.created`,
/// `card.moved`, `card.updated`, `card.deleted`) with the key's service as actor.
extension APIEndpoint {
    func board(_ id: String) async throws(APIError) -> HTTPResponse {
        try APIValidation.entityID(id, "/project")
        let store = hub.store
        guard let board = try await self.store({ () throws(StoreError) in try await store.board(projectID: id) }) else {
            throw APIError.notFound("no project \(id)")
        }
        return Self.json(.ok) { out in
            out.beginObject()
            out.member("project", id)
            out.member("head_seq", board.headSeq)
            out.key("board")
            ServerMessage.writeBoard(board, to: &out)
            out.endObject()
        }
    }

    /// Commits a card command and answers `{"event": ...}`.
    private func cardCommand(_ project: String, _ kind: CommandKind, request: APIRequest, key: APIKey)
        async throws(APIError) -> HTTPResponse
    {
        try APIValidation.entityID(project, "/project")
        let idempotency = request.idempotencyKey
        if let idempotency { try APIValidation.visibleASCII(idempotency, "Idempotency-Key") }
        let correlation = request.correlationID
        try APIValidation.visibleASCII(correlation, "X-Correlation-ID")
        let command = Command(
            room: project, actor: .service(key.name),
            requestKey: idempotency.map { IdempotencyKey(scope: "service:" + key.name, key: $0) },
            correlationID: correlation, kind: kind, time: WallClock.nowMillis())
        let created: HTTPStatus = if case .createCard = kind { .created } else { .ok }
        let (status, event) = try await commit(command, in: hub.room(project), created: created).get()
        return Self.json(status) { out in
            out.beginObject()
            out.key("event")
            out.raw(bytes: event)
            out.endObject()
        }
    }

    private func title(_ body: [String: JSONValue]) throws(APIError) -> String {
        let limit = hub.configuration.commands.maxTitleBytes
        guard let title = try body.string("title", maxBytes: limit),
            !title.unicodeScalars.allSatisfy({ $0.properties.isWhitespace })
        else { throw APIError.invalid("/title", "title must be 1 to \(limit) bytes, not blank") }
        return title
    }

    func createCard(_ project: String, request: APIRequest, key: APIKey) async throws(APIError) -> HTTPResponse {
        let body = try request.object()
        guard let column = try body.string("column_id", maxBytes: 64) else { throw APIError.invalid("/column_id", "required") }
        try APIValidation.entityID(column, "/column_id")
        let cardID = try body.string("id", required: false, maxBytes: 64)
        if let cardID { try APIValidation.entityID(cardID, "/id") }
        let position = try body.int("position", required: false) ?? 1_000_000
        let kind = CommandKind.createCard(cardID: cardID, columnID: column, position: position, title: try title(body))
        return try await cardCommand(project, kind, request: request, key: key)
    }

    func updateCard(_ project: String, cardID: String, request: APIRequest, key: APIKey) async throws(APIError) -> HTTPResponse {
        try APIValidation.entityID(cardID, "/card_id")
        let body = try request.object()
        let expected = try body.int("expected_version", required: false, range: 1...Int64(Int32.max))
        let kind = CommandKind.updateCard(cardID: cardID, title: try title(body), expectedVersion: expected)
        return try await cardCommand(project, kind, request: request, key: key)
    }

    func moveCard(_ project: String, cardID: String, request: APIRequest, key: APIKey) async throws(APIError) -> HTTPResponse {
        try APIValidation.entityID(cardID, "/card_id")
        let body = try request.object()
        guard let column = try body.string("to_column_id", maxBytes: 64) else { throw APIError.invalid("/to_column_id", "required") }
        try APIValidation.entityID(column, "/to_column_id")
        guard let position = try body.int("to_position"),
            let expected = try body.int("expected_version", range: 1...Int64(Int32.max))
        else { throw APIError.invalid("/to_position", "to_position and expected_version are required") }
        let kind = CommandKind.moveCard(cardID: cardID, toColumn: column, toPosition: position, expectedVersion: expected)
        return try await cardCommand(project, kind, request: request, key: key)
    }

    func deleteCard(_ project: String, cardID: String, request: APIRequest, key: APIKey) async throws(APIError) -> HTTPResponse {
        try APIValidation.entityID(cardID, "/card_id")
        var expected: Int?
        if let text = request.query("expected_version") {
            guard let value = Int(text), value >= 1 else { throw APIError.invalid("expected_version", "an integer >= 1") }
            expected = value
        }
        return try await cardCommand(project, .deleteCard(cardID: cardID, expectedVersion: expected), request: request, key: key)
    }
}
