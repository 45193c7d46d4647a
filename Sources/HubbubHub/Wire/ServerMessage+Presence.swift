import HubbubJSON
import HubbubPresence
import HubbubStore

extension ServerMessage {
    static func presenceState(room: String, _ snapshot: PresenceSnapshot) -> [UInt8] {
        var out = JSONOutput(capacity: 512)
        out.beginObject()
        out.member("type", "presence_state")
        out.member("room", room)
        switch snapshot {
        case .full(let entries):
            out.member("mode", "full")
            out.key("presences")
            writePresences(entries, to: &out)
        case .counts(let counts):
            out.member("mode", "counts")
            writeCounts(counts, to: &out)
        }
        out.endObject()
        return out.bytes
    }

    static func presenceDiff(room: String, _ diff: PresenceDiff) -> [UInt8] {
        if case .state(let snapshot) = diff { return presenceState(room: room, snapshot) }
        var out = JSONOutput(capacity: 512)
        out.beginObject()
        out.member("type", "presence_diff")
        out.member("room", room)
        switch diff {
        case .full(let changes):
            out.member("mode", "full")
            out.key("joins")
            writePresences(changes.joins, to: &out)
            out.key("leaves")
            writePresences(changes.leaves, to: &out)
            out.key("updates")
            writePresences(changes.updates, to: &out)
        case .counts(let counts):
            out.member("mode", "counts")
            writeCounts(counts, to: &out)
        case .state:
            break
        }
        out.endObject()
        return out.bytes
    }

    /// `{user_id: {name, username, metas: [{conn_id, state, joined_at}]}}`.
    static func writePresences(_ entries: [PresenceEntry], to out: inout JSONOutput) {
        out.beginObject()
        for entry in entries {
            out.key(entry.userID)
            out.beginObject()
            out.member("name", entry.name)
            if let username = entry.username { out.member("username", username) }
            out.key("metas")
            out.beginArray()
            for meta in entry.metas {
                out.beginObject()
                out.member("conn_id", meta.connID)
                out.key("state")
                out.raw(meta.state.jsonText)
                out.member("joined_at", RFC3339.format(unixMillis: meta.joinedAt))
                out.endObject()
            }
            out.endArray()
            out.endObject()
        }
        out.endObject()
    }

    static func writeCounts(_ counts: PresenceCounts, to out: inout JSONOutput) {
        out.member("total_users", counts.users)
        out.member("total_connections", counts.connections)
    }

    /// Another connection's `ephemeral` signal.
    static func ephemeralRelay(room: String, key: String, data: JSONValue, identity: Identity, connID: String, nowMillis: Int64) -> [UInt8] {
        ephemeralRelay(
            room: room, key: key, data: data, actor: .user(id: identity.userID, name: identity.name), connID: connID,
            nowMillis: nowMillis)
    }

    /// An ephemeral relay from a user's connection or from a service (`conn_id` `svc_<name>`).
    static func ephemeralRelay(room: String, key: String, data: JSONValue, actor: EventActor, connID: String, nowMillis: Int64) -> [UInt8] {
        var out = JSONOutput(capacity: 256)
        out.beginObject()
        out.member("type", "ephemeral")
        out.member("room", room)
        out.member("key", key)
        out.key("data")
        out.value(data)
        out.key("actor")
        writeActor(actor, to: &out)
        out.member("conn_id", connID)
        out.member("time", RFC3339.format(unixMillis: nowMillis))
        out.endObject()
        return out.bytes
    }

    /// The personal `mention` notification: the envelope without `seq`.
    static func mention(
        eventID: String, comment: StoredEvent, project: Project, card: (id: String, title: String),
        commentID: String, excerpt: String
    ) -> [UInt8] {
        var out = JSONOutput(capacity: 512)
        out.beginObject()
        out.member("type", "mention")
        out.member("event_id", eventID)
        out.member("room", comment.room)
        out.member("time", RFC3339.format(unixMillis: comment.time))
        out.key("actor")
        writeActor(comment.actor, to: &out)
        out.member("correlation_id", comment.correlationID)
        out.key("payload")
        out.beginObject()
        out.key("project")
        writeProject(project, to: &out)
        out.key("card")
        out.beginObject()
        out.member("id", card.id)
        out.member("title", card.title)
        out.endObject()
        out.key("comment")
        out.beginObject()
        out.member("id", commentID)
        out.member("excerpt", excerpt)
        out.endObject()
        out.member("comment_event_id", comment.eventID)
        out.member("comment_seq", comment.seq)
        out.endObject()
        out.endObject()
        return out.bytes
    }
}
