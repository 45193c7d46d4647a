import HubbubJSON
import HubbubStore

/// The wire form of the store's records, shared with tools that print them (`hubbub admin`).
public enum WireJSON {
    /// A card as protocol/schemas/common.json defines it.
    public static func writeCard(_ card: Card, to out: inout JSONOutput) {
        out.beginObject()
        out.member("id", card.id)
        out.member("column_id", card.columnID)
        out.member("position", card.position)
        out.member("title", card.title)
        out.member("version", card.version)
        out.member("created_at", RFC3339.format(unixMillis: card.createdAt))
        out.member("updated_at", RFC3339.format(unixMillis: card.updatedAt))
        out.endObject()
    }
}

extension ServerMessage {
    static func writeCard(_ card: Card, to out: inout JSONOutput) {
        WireJSON.writeCard(card, to: &out)
    }

    static func writeBoard(_ board: Board, to out: inout JSONOutput) {
        out.beginObject()
        out.key("columns")
        out.beginArray()
        for column in board.columns {
            out.beginObject()
            out.member("id", column.column.id)
            out.member("name", column.column.name)
            out.key("cards")
            out.beginArray()
            for card in column.cards { writeCard(card, to: &out) }
            out.endArray()
            out.endObject()
        }
        out.endArray()
        out.endObject()
    }

    /// `[{user_id, name, username}]`: never the e-mail.
    static func writeMembers(_ members: [Member], to out: inout JSONOutput) {
        out.beginArray()
        for member in members {
            out.beginObject()
            out.member("user_id", member.userID)
            out.member("name", member.displayName)
            out.member("username", member.username)
            out.endObject()
        }
        out.endArray()
    }

    static func writeProject(_ project: Project, to out: inout JSONOutput) {
        out.beginObject()
        out.member("id", project.id)
        out.member("name", project.name)
        out.endObject()
    }
}
