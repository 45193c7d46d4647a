// The one file of this module that sees HubbubStore's internals.
//
// The PostgreSQL store must write the same payload bytes as the SQLite store (the hub
// embeds them raw into frames) and the same request fingerprints, so it calls
// HubbubStore's own encoders instead of keeping a copy. They are `internal` there, and
// this module may not change HubbubStore, so until they are made `package` (or
// `public`) this import is `@testable`: that compiles in debug builds (SwiftPM builds
// every module with `-enable-testing` in debug) but not in release builds. Once
// HubbubStore exposes `EventPayload`, `NotificationPayload`, `CommandFingerprint`,
// replace `@testable import` by `import` and nothing else changes.
import HubbubStore

/// The payloads and fingerprints of HubbubStore, under names this module owns.
enum StoreEncoding {
    static func fingerprint(_ command: Command) -> Int64 {
        CommandFingerprint(command).signed
    }

    static func commentCreated(
        commentID: String, cardID: String, text: String, mentions: [(userID: String, username: String)]
    ) -> String {
        EventPayload.commentCreated(commentID: commentID, cardID: cardID, text: text, mentions: mentions)
    }

    static func cardCreated(_ card: Card) -> String {
        EventPayload.cardCreated(card)
    }

    static func cardMoved(_ card: Card, fromColumn: String, fromPosition: Int) -> String {
        EventPayload.cardMoved(card, fromColumn: fromColumn, fromPosition: fromPosition)
    }

    static func mentionNotification(
        project: Project, cardID: String, cardTitle: String, commentID: String, text: String,
        actor: EventActor, eventID: String, seq: Int64
    ) -> String {
        NotificationPayload.mention(
            project: project, cardID: cardID, cardTitle: cardTitle, commentID: commentID, text: text,
            actor: actor, eventID: eventID, seq: seq)
    }

    static func customNotification(project: Project, event: StoredEvent) -> String {
        NotificationPayload.custom(project: project, event: event)
    }
}
