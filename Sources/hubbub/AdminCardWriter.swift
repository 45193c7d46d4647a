import HubbubJSON
import HubbubStore

/// Creates cards the way every other client does: `createCard` commands through
/// ``Store/commit(_:)``, so each becomes a durable `card.created` event of the room,
/// with actor `service:admin` and an `admin-...` correlation id.
enum AdminCardWriter {
    /// The service name the events carry as their actor.
    static let actor = EventActor.service("admin")

    /// One card to create.
    struct Request: Sendable {
        /// `nil` lets the store choose (a UUIDv7).
        var cardID: String?
        var columnID: String
        /// Clamped by the store to `0...count`; `Int.max` appends.
        var position: Int
        var title: String
    }

    /// A card the store created, with its event.
    struct Created: Sendable {
        var card: Card
        var seq: Int64
        var eventID: String
    }

    /// Creates the cards in one transaction (their seqs follow the order of `requests`).
    /// Throws ``AdminError`` naming every card the store refused; the others were stored.
    static func create(_ requests: [Request], project: String, store: some Store) async throws -> [Created] {
        guard !requests.isEmpty else { return [] }
        let time = AdminSession.nowMillis()
        let correlationID = AdminSession.correlationID()
        let commands = requests.map { request in
            Command(
                room: project, actor: actor, correlationID: correlationID,
                kind: .createCard(
                    cardID: request.cardID, columnID: request.columnID, position: request.position,
                    title: request.title),
                time: time)
        }
        let outcomes = try await store.commit(commands)
        var created: [Created] = []
        var problems: [String] = []
        for (request, outcome) in zip(requests, outcomes) {
            switch outcome {
            case .stored(let event), .duplicate(let event):
                created.append(try card(from: event, request: request, project: project))
            case .notFound(.project(let id)):
                problems.append("project \(id) does not exist")
            case .notFound(.column(let id)):
                problems.append("column \(id) does not exist in project \(project)")
            case .notFound(.card(let id)):
                problems.append("card \(id) not found")
            case .rejected(let error) where error.code == .alreadyExists:
                problems.append("card \(request.cardID ?? "?") already exists in project \(project)")
            case .rejected(let error):
                problems.append("card \(request.cardID.map { "\($0) " } ?? "")refused: \(error)")
            case .conflict, .keyReused:
                problems.append("unexpected outcome for card \(request.cardID ?? "?"): \(outcome)")
            }
        }
        guard problems.isEmpty else {
            let stored = created.isEmpty ? "" : " (\(created.count) other card(s) were created)"
            throw AdminError.failure(problems.joined(separator: "; ") + stored)
        }
        return created
    }

    /// The card as stored, from the event's payload `{"card":{"id","position",...}}`.
    private static func card(from event: StoredEvent, request: Request, project: String) throws -> Created {
        let payload = JSONParser.parse(Array(event.payload.utf8))?["card"]
        guard let id = payload?["id"]?.stringValue, case .number(let number)? = payload?["position"],
            let position = number.integer
        else {
            throw AdminError.failure("card.created event \(event.seq) has an unexpected payload: \(event.payload)")
        }
        let card = Card(
            projectID: project, id: id, columnID: request.columnID, position: Int(position), title: request.title,
            version: 1, createdAt: event.time, updatedAt: event.time)
        return Created(card: card, seq: event.seq, eventID: event.eventID)
    }
}
