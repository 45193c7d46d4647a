/// The JSON payloads of outbox rows (see ``OutboxEntry/payload``): what the mailer needs
/// to write the e-mail without reading anything else.
public enum NotificationPayload {
    /// The outbox payload of a mention (see ``OutboxEntry/payload``).
    public static func mention(
        project: Project, cardID: String, cardTitle: String, commentID: String, text: String,
        actor: EventActor, eventID: String, seq: Int64
    ) -> String {
        var json = JSONBuffer(capacity: 512)
        json.raw("{")
        EventPayload.appendProject(project, to: &json)
        json.raw(",")
        json.key("card")
        json.raw("{")
        json.key("id")
        json.string(cardID)
        json.raw(",")
        json.key("title")
        json.string(cardTitle)
        json.raw("},")
        json.key("comment")
        json.raw("{")
        json.key("id")
        json.string(commentID)
        json.raw(",")
        json.key("excerpt")
        json.string(excerpt(text))
        json.raw("},")
        json.key("actor")
        EventPayload.appendActor(actor, to: &json)
        json.raw(",")
        json.key("comment_event_id")
        json.string(eventID)
        json.raw(",")
        json.key("comment_seq")
        json.int(seq)
        json.raw("}")
        return json.text
    }

    /// The outbox payload of a custom event's notification (see ``OutboxEntry/payload``).
    public static func custom(project: Project, event: StoredEvent) -> String {
        var json = JSONBuffer(capacity: event.payload.utf8.count + 256)
        json.raw("{")
        EventPayload.appendProject(project, to: &json)
        json.raw(",")
        json.key("event_id")
        json.string(event.eventID)
        json.raw(",")
        json.key("seq")
        json.int(event.seq)
        json.raw(",")
        json.key("type")
        json.string(event.type)
        json.raw(",")
        json.key("actor")
        EventPayload.appendActor(event.actor, to: &json)
        json.raw(",")
        json.key("payload")
        json.rawJSON(event.payload)
        json.raw("}")
        return json.text
    }

    /// The first 200 Unicode code points of `text`, followed by U+2026 if cut.
    public static func excerpt(_ text: String) -> String {
        let scalars = text.unicodeScalars
        guard let cut = scalars.index(scalars.startIndex, offsetBy: 200, limitedBy: scalars.endIndex),
            cut != scalars.endIndex
        else { return text }
        var out = String(String.UnicodeScalarView(scalars[..<cut]))
        out.append("\u{2026}")
        return out
    }
}
