/// A consistent snapshot of a project's board: read in one transaction, so it reflects
/// exactly the room's events up to and including `headSeq`.
public struct Board: Sendable, Hashable {
    public var projectID: String
    /// The room's head seq at the time of the snapshot (0 if the room has no events).
    public var headSeq: Int64
    /// Columns in display order (`position`, then `id`), each with its cards in position order.
    public var columns: [BoardColumn]

    public init(projectID: String, headSeq: Int64, columns: [BoardColumn]) {
        self.projectID = projectID
        self.headSeq = headSeq
        self.columns = columns
    }
}

/// One column of a ``Board`` with its cards; `cards[i].position == i`.
public struct BoardColumn: Sendable, Hashable {
    public var column: Column
    public var cards: [Card]

    public init(column: Column, cards: [Card]) {
        self.column = column
        self.cards = cards
    }
}
