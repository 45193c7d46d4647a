/// What a ``Command`` does. Each kind stores exactly one event when it succeeds.
public enum CommandKind: Sendable, Hashable {
    /// Stores a comment (event `comment.created`).
    ///
    /// - `mentions`: user ids the caller resolved from the text, in order of first
    ///   occurrence; the store records them and adds each member's username to the
    ///   payload. Ids that are not (or no longer) members are dropped, duplicates too.
    /// - `notifyOffline`: user ids to write an e-mail outbox row for (kind `mention`), in
    ///   the same transaction as the event. Non-members are skipped.
    case comment(cardID: String, text: String, mentions: [String], notifyOffline: [String])
    /// Creates a card (event `card.created`). `cardID == nil` lets the store choose one (a
    /// UUIDv7); an explicit id that already exists in the project is rejected with
    /// ``StoreError/Code/alreadyExists``. `position` is clamped to `0...count`; the cards at
    /// or after it move down by one.
    case createCard(cardID: String?, columnID: String, position: Int, title: String)
    /// Moves a card (event `card.moved`) if its version is still `expectedVersion`;
    /// otherwise ``CommandOutcome/conflict(current:)``. `toPosition` is clamped to the
    /// valid range of the target column; the other cards shift so positions stay dense.
    case moveCard(cardID: String, toColumn: String, toPosition: Int, expectedVersion: Int)
    /// Renames a card (event `card.updated`, its version goes up by one). With
    /// `expectedVersion`, a card at another version gives ``CommandOutcome/conflict(current:)``.
    case updateCard(cardID: String, title: String, expectedVersion: Int?)
    /// Deletes a card (event `card.deleted` with the card as it was); the cards below it in
    /// its column move up by one. `expectedVersion` as for ``updateCard(cardID:title:expectedVersion:)``.
    case deleteCard(cardID: String, expectedVersion: Int?)
    /// A service-published durable event. `type` is stored as the event type (the caller
    /// checks the `custom.` format); `payload` must be a JSON object and is stored as given.
    /// `notify` lists user ids to write outbox rows (kind = `type`) for.
    case custom(type: String, payload: String, notify: [String])
}
