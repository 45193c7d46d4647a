import HubbubServer
import Logging
import HubbubJSON
import HubbubStore

extension HubSession {
    /// `comment`, `card_create`, `card_move`: through the room's group commit.
    func perform(id: String, room roomID: String, kind: RoomCommand.Kind, echo: Bool) {
        guard let link = joinedLink(roomID), let ref, let identity else { return reply(id: id, .notJoined(roomID)) }
        let command = RoomCommand(requestID: id, identity: identity, kind: kind, echo: echo, sender: ref)
        let room = link.room
        awaitRoom { await room.perform(command) } then: { session, result in
            switch result {
            case .failure(let error):
                session.finish(ServerMessage.error(id: id, error))
            case .success(let outcome):
                session.finish(Self.reply(id: id, kind: kind, outcome: outcome, logger: session.hub))
            }
        }
    }

    /// The reply to a persisting command (protocol/README.md section 3, errors.md).
    static func reply(id: String, kind: RoomCommand.Kind, outcome: CommandOutcome, logger hub: Hub) -> [UInt8] {
        switch outcome {
        case .stored(let event), .duplicate(let event):
            let payload = JSONParser.parse(Array(event.payload.utf8))
            return ServerMessage.ack(id: id) { out in
                out.member("event_id", event.eventID)
                out.member("seq", event.seq)
                switch kind {
                case .comment:
                    out.member("comment_id", payload?["comment_id"]?.stringValue ?? "")
                    out.key("mentions")
                    out.value(payload?["mentions"] ?? .array([]))
                case .cardCreate, .cardMove:
                    out.key("card")
                    out.value(payload?["card"] ?? .object([:]))
                }
            }
        case .conflict(let card):
            var cardJSON = JSONOutput()
            ServerMessage.writeCard(card, to: &cardJSON)
            let details = JSONParser.parse(cardJSON.bytes) ?? .object([:])
            return ServerMessage.error(id: id, ProtocolError(
                .conflict, "card \(card.id) is at version \(card.version); the move was not applied",
                details: .object(["card": details])))
        case .notFound(let missing):
            let field: String
            let what: String
            switch missing {
            case .project:
                return ServerMessage.error(id: id, .notMember)
            case .card(let cardID):
                (field, what) = ("/card_id", "card \(cardID)")
            case .column(let columnID):
                if case .cardMove = kind { field = "/to_column_id" } else { field = "/column_id" }
                what = "column \(columnID)"
            }
            return ServerMessage.error(id: id, ProtocolError(
                .notFound, "\(what) does not exist in this project", details: .object(["field": .string(field)])))
        case .keyReused:
            return ServerMessage.error(id: id, ProtocolError(
                .duplicate, "this id was already used for a different command",
                details: .object(["reason": .string("id_reused")])))
        case .rejected(let error):
            hub.logger.error("store rejected a command", metadata: ["error": "\(error)"])
            return ServerMessage.error(id: id, ProtocolError(.internal, "the command could not be stored"))
        }
    }
}
