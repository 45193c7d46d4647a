/// A stable 64-bit digest of what the client asked for (room, kind and the fields the
/// client sent; not the time, actor, correlation id, or what the hub derived: a comment's
/// mentions and notifications), stored with its idempotency key to tell a genuine
/// retry (same fingerprint: ``CommandOutcome/duplicate(_:)``) from a reused key
/// (``CommandOutcome/keyReused``).
///
/// FNV-1a over length-prefixed fields: stable across processes and versions (unlike
/// `Hasher`), which matters because it is persisted. It only has to separate commands of
/// one user sent under one key, so 64 bits are plenty.
public struct CommandFingerprint {
    private(set) var value: UInt64 = 0xCBF2_9CE4_8422_2325

    public init(_ command: Command) {
        add(command.room)
        switch command.kind {
        case .comment(let cardID, let text, _, _):
            // Mentions and notifications are derived by the hub (from the text, the
            // membership and who is online), so a genuine retry may carry other ones.
            add("comment")
            add(cardID)
            add(text)
        case .createCard(let cardID, let columnID, let position, let title):
            add("createCard")
            add(cardID ?? "\u{0}")
            add(columnID)
            add(String(position))
            add(title)
        case .moveCard(let cardID, let toColumn, let toPosition, let expectedVersion):
            add("moveCard")
            add(cardID)
            add(toColumn)
            add(String(toPosition))
            add(String(expectedVersion))
        case .updateCard(let cardID, let title, let expectedVersion):
            add("updateCard")
            add(cardID)
            add(title)
            add(expectedVersion.map(String.init) ?? "\u{0}")
        case .deleteCard(let cardID, let expectedVersion):
            add("deleteCard")
            add(cardID)
            add(expectedVersion.map(String.init) ?? "\u{0}")
        case .custom(let type, let payload, let notify):
            add("custom")
            add(type)
            add(payload)
            add(notify)
        }
    }

    /// The digest as SQLite stores integers.
    public var signed: Int64 { Int64(bitPattern: value) }

    private mutating func add(_ strings: [String]) {
        add(String(strings.count))
        for s in strings { add(s) }
    }

    private mutating func add(_ s: String) {
        var length = UInt64(s.utf8.count)
        for _ in 0..<8 {
            mix(UInt8(truncatingIfNeeded: length))
            length >>= 8
        }
        for byte in s.utf8 { mix(byte) }
    }

    private mutating func mix(_ byte: UInt8) {
        value = (value ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
    }
}
