import HubbubJSON

/// The members of each command, checked in the order of its schema (protocol/schemas/client).
extension CommandDecoder {
    /// The largest card position the schemas accept (common.json `position`).
    static let maxPosition: Int64 = 1_000_000

    func command(_ kind: Kind, _ fields: CommandFields) throws(ProtocolError) -> ClientCommand {
        switch kind {
        case .auth:
            let token = try fields.string("token")
            try fields.checkLength(of: token, "token", maxCharacters: limits.maxTokenCharacters)
            return .auth(token: token)
        case .ping:
            return .ping
        case .join:
            let room = try fields.entityID("room")
            let sinceSeq = try fields.optionalInteger("since_seq", in: 0...CommandFields.maxSafeInteger)
            let presence = try fields.optionalObject("presence")
            if let presence { try checkPresenceState(presence, fields, "presence") }
            return .join(room: room, sinceSeq: sinceSeq, presence: presence)
        case .leave:
            return .leave(room: try fields.entityID("room"))
        case .board:
            return .board(room: try fields.entityID("room"))
        case .comment:
            return try comment(fields)
        case .cardCreate:
            return try cardCreate(fields)
        case .cardMove:
            return try cardMove(fields)
        case .ephemeral:
            let room = try fields.entityID("room")
            let key = try fields.string("key")
            guard ProtocolSyntax.isEphemeralKey(key) else {
                throw .badRequest(field: "/key", reason: "invalid_format", "key must be 1-64 of a-z 0-9 _ . : -")
            }
            let data = try fields.object("data")
            try fields.checkSize(of: data, "data", maxBytes: limits.maxEphemeralBytes, what: "ephemeral data")
            return .ephemeral(room: room, key: key, data: data)
        case .presenceUpdate:
            let room = try fields.entityID("room")
            let state = try fields.object("state")
            try checkPresenceState(state, fields, "state")
            return .presenceUpdate(room: room, state: state)
        case .presenceRoster:
            return try presenceRoster(fields)
        }
    }

    private func comment(_ fields: CommandFields) throws(ProtocolError) -> ClientCommand {
        let room = try fields.entityID("room")
        let cardID = try fields.entityID("card_id")
        let text = try fields.text("text", maxBytes: limits.maxCommentBytes, what: "comment text")
        let echo = try fields.bool("echo", default: true)
        return .comment(room: room, cardID: cardID, text: text, echo: echo)
    }

    private func cardCreate(_ fields: CommandFields) throws(ProtocolError) -> ClientCommand {
        let room = try fields.entityID("room")
        let columnID = try fields.entityID("column_id")
        let position = try fields.integer("position", in: 0...Self.maxPosition)
        let title = try fields.text("title", maxBytes: limits.maxTitleBytes, what: "card title")
        let echo = try fields.bool("echo", default: true)
        return .cardCreate(room: room, columnID: columnID, position: Int(position), title: title, echo: echo)
    }

    private func cardMove(_ fields: CommandFields) throws(ProtocolError) -> ClientCommand {
        let room = try fields.entityID("room")
        let cardID = try fields.entityID("card_id")
        let toColumnID = try fields.entityID("to_column_id")
        let toPosition = try fields.integer("to_position", in: 0...Self.maxPosition)
        let version = try fields.integer("expected_version", in: 1...CommandFields.maxSafeInteger)
        let echo = try fields.bool("echo", default: true)
        return .cardMove(
            room: room, cardID: cardID, toColumnID: toColumnID, toPosition: Int(toPosition),
            expectedVersion: Int(truncatingIfNeeded: version), echo: echo)
    }

    private func presenceRoster(_ fields: CommandFields) throws(ProtocolError) -> ClientCommand {
        let room = try fields.entityID("room")
        let cursor = try fields.optionalString("cursor")
        if let cursor { try fields.checkLength(of: cursor, "cursor", maxCharacters: 512) }
        let maxLimit = Int64(max(1, limits.maxRosterPageSize))
        let limit = try fields.optionalInteger("limit", in: 1...maxLimit)
        return .presenceRoster(room: room, cursor: cursor, limit: limit.map { Int($0) } ?? limits.defaultRosterPageSize)
    }

    private func checkPresenceState(_ state: JSONValue, _ fields: CommandFields, _ name: String) throws(ProtocolError) {
        try fields.checkSize(
            of: state, name, maxBytes: limits.maxPresenceStateBytes, maxMembers: limits.maxPresenceStateMembers,
            what: "presence state")
    }
}
