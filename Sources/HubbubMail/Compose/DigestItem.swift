import HubbubJSON
import HubbubStore

/// One notification of a digest, decoded from its outbox row's JSON payload (see
/// ``OutboxEntry/payload``). Decoding is lenient: a row whose payload lacks a field is
/// still mailed, with what it has.
struct DigestItem: Sendable, Hashable {
    /// `mention`, or a custom event's type.
    var kind: String
    var room: String
    var projectID: String
    var projectName: String
    var cardID: String?
    var cardTitle: String?
    var commentID: String?
    var excerpt: String?
    /// Who caused it: a user's display name or a service's name.
    var actorName: String
    var eventID: String
    var seq: Int64

    var isMention: Bool { kind == "mention" }

    init(_ entry: OutboxEntry) {
        let payload = JSONParser.parse(Array(entry.payload.utf8)) ?? .object([:])
        kind = entry.kind
        room = entry.room
        projectID = payload["project"]?["id"]?.stringValue ?? entry.room
        projectName = payload["project"]?["name"]?.stringValue ?? projectID
        cardID = payload["card"]?["id"]?.stringValue
        cardTitle = payload["card"]?["title"]?.stringValue
        commentID = payload["comment"]?["id"]?.stringValue
        excerpt = payload["comment"]?["excerpt"]?.stringValue
        let actor = payload["actor"]
        actorName = actor?["name"]?.stringValue ?? actor?["service"]?.stringValue ?? actor?["user_id"]?.stringValue
            ?? "Someone"
        eventID = payload["comment_event_id"]?.stringValue ?? entry.eventID
        seq = entry.seq
    }

    /// The values a link template may use.
    var templateValues: [String: String] {
        var values = ["project_id": projectID, "room": room, "event_id": eventID, "seq": String(seq), "kind": kind]
        values["card_id"] = cardID ?? ""
        values["comment_id"] = commentID ?? ""
        return values
    }

    /// The placeholders a link template may use.
    static let linkPlaceholders: Set<String> = [
        "project_id", "room", "card_id", "comment_id", "event_id", "seq", "kind", "user_id",
    ]
    /// The placeholders an unsubscribe template may use.
    static let unsubscribePlaceholders: Set<String> = ["user_id", "email"]
}
