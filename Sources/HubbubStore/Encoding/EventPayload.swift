/// The JSON payloads the store writes, in the protocol's wire format
/// (`protocol/schemas/server/payloads/*.json` and `common.json#/$defs/card`), so events
/// are encoded exactly once.
public enum EventPayload {
    /// `comment.created`: `{"comment_id","card_id","text","mentions":[{"user_id","username"}]}`.
    public static func commentCreated(
        commentID: String, cardID: String, text: String, mentions: [(userID: String, username: String)]
    ) -> String {
        var json = JSONBuffer(capacity: text.utf8.count + 128)
        json.raw("{")
        json.key("comment_id")
        json.string(commentID)
        json.raw(",")
        json.key("card_id")
        json.string(cardID)
        json.raw(",")
        json.key("text")
        json.string(text)
        json.raw(",")
        json.key("mentions")
        json.raw("[")
        for (i, mention) in mentions.enumerated() {
            if i > 0 { json.raw(",") }
            json.raw("{")
            json.key("user_id")
            json.string(mention.userID)
            json.raw(",")
            json.key("username")
            json.string(mention.username)
            json.raw("}")
        }
        json.raw("]}")
        return json.text
    }

    /// `card.created`: `{"card":{...}}`.
    public static func cardCreated(_ card: Card) -> String {
        var json = JSONBuffer()
        json.raw("{")
        json.key("card")
        appendCard(card, to: &json)
        json.raw("}")
        return json.text
    }

    /// `card.moved`: `{"card":{...},"from":{"column_id","position"},"to":{"column_id","position"}}`,
    /// `to` being where the card is now.
    public static func cardMoved(_ card: Card, fromColumn: String, fromPosition: Int) -> String {
        var json = JSONBuffer()
        json.raw("{")
        json.key("card")
        appendCard(card, to: &json)
        json.raw(",")
        json.key("from")
        appendPlace(column: fromColumn, position: fromPosition, to: &json)
        json.raw(",")
        json.key("to")
        appendPlace(column: card.columnID, position: card.position, to: &json)
        json.raw("}")
        return json.text
    }

    /// `card.updated`: `{"card":{...}}`, the card after the change.
    public static func cardUpdated(_ card: Card) -> String {
        cardCreated(card)
    }

    /// `card.deleted`: `{"card":{...}}`, the card as it was before the deletion.
    public static func cardDeleted(_ card: Card) -> String {
        cardCreated(card)
    }

    static func appendCard(_ card: Card, to json: inout JSONBuffer) {
        json.raw("{")
        json.key("id")
        json.string(card.id)
        json.raw(",")
        json.key("column_id")
        json.string(card.columnID)
        json.raw(",")
        json.key("position")
        json.int(card.position)
        json.raw(",")
        json.key("title")
        json.string(card.title)
        json.raw(",")
        json.key("version")
        json.int(card.version)
        json.raw(",")
        json.key("created_at")
        json.string(RFC3339.format(unixMillis: card.createdAt))
        json.raw(",")
        json.key("updated_at")
        json.string(RFC3339.format(unixMillis: card.updatedAt))
        json.raw("}")
    }

    private static func appendPlace(column: String, position: Int, to json: inout JSONBuffer) {
        json.raw("{")
        json.key("column_id")
        json.string(column)
        json.raw(",")
        json.key("position")
        json.int(position)
        json.raw("}")
    }

    static func appendProject(_ project: Project, to json: inout JSONBuffer) {
        json.key("project")
        json.raw("{")
        json.key("id")
        json.string(project.id)
        json.raw(",")
        json.key("name")
        json.string(project.name)
        json.raw("}")
    }

    /// `{"user_id","name"}` or `{"service"}` (`common.json#/$defs/actor`).
    static func appendActor(_ actor: EventActor, to json: inout JSONBuffer) {
        json.raw("{")
        switch actor {
        case .user(let id, let name):
            json.key("user_id")
            json.string(id)
            json.raw(",")
            json.key("name")
            json.string(name)
        case .service(let name):
            json.key("service")
            json.string(name)
        }
        json.raw("}")
    }
}
