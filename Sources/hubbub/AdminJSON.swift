import HubbubHub
import HubbubJSON
import HubbubStore

/// The documents `--json` prints: one compact JSON document per command, written with
/// ``JSONOutput``. Field names follow the protocol (`user_id`, `column_id`, RFC 3339
/// times).
enum AdminJSON {
    /// `{"projects":[{"id","name"}]}`
    static func projects(_ projects: [Project]) -> String {
        var json = JSONOutput()
        json.beginObject()
        json.key("projects")
        json.beginArray()
        for project in projects {
            json.beginObject()
            json.member("id", project.id)
            json.member("name", project.name)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return text(json)
    }

    /// `{"project","members":[{"user_id","name","username","email"}]}`
    static func members(_ members: [Member], project: String) -> String {
        var json = JSONOutput()
        json.beginObject()
        json.member("project", project)
        json.key("members")
        json.beginArray()
        for member in members {
            json.beginObject()
            json.member("user_id", member.userID)
            json.member("name", member.displayName)
            json.member("username", member.username)
            json.member("email", member.email)
            json.endObject()
        }
        json.endArray()
        json.endObject()
        return text(json)
    }

    /// `{"project","columns":[{"id","name","position"}]}`
    static func columns(_ columns: [Column], project: String) -> String {
        var json = JSONOutput()
        json.beginObject()
        json.member("project", project)
        json.key("columns")
        json.beginArray()
        for column in columns { self.column(column, to: &json) }
        json.endArray()
        json.endObject()
        return text(json)
    }

    /// `{"project","head_seq","columns":[{"id","name","position","cards":[card]}]}`
    static func board(_ board: Board) -> String {
        var json = JSONOutput()
        json.beginObject()
        json.member("project", board.projectID)
        json.member("head_seq", board.headSeq)
        json.key("columns")
        json.beginArray()
        for entry in board.columns {
            column(entry.column, to: &json) { json in
                json.key("cards")
                json.beginArray()
                for card in entry.cards { self.card(card, to: &json) }
                json.endArray()
            }
        }
        json.endArray()
        json.endObject()
        return text(json)
    }

    /// `{"project","card":card,"seq","event_id"}`
    static func created(_ created: AdminCardWriter.Created) -> String {
        var json = JSONOutput()
        json.beginObject()
        json.member("project", created.card.projectID)
        json.key("card")
        card(created.card, to: &json)
        json.member("seq", created.seq)
        json.member("event_id", created.eventID)
        json.endObject()
        return text(json)
    }

    /// `{"id","column_id","position","title","version","created_at","updated_at"}`
    private static func card(_ card: Card, to json: inout JSONOutput) {
        WireJSON.writeCard(card, to: &json)
    }

    private static func column(
        _ column: Column, to json: inout JSONOutput, extra: (inout JSONOutput) -> Void = { _ in }
    ) {
        json.beginObject()
        json.member("id", column.id)
        json.member("name", column.name)
        json.member("position", column.position)
        extra(&json)
        json.endObject()
    }

    /// RFC 3339 in UTC with milliseconds, as the protocol writes times.
    static func time(_ unixMillis: Int64) -> String {
        RFC3339.format(unixMillis: unixMillis)
    }

    private static func text(_ json: JSONOutput) -> String {
        String(decoding: json.bytes, as: UTF8.self)
    }
}
