/// A card as stored.
///
/// Within a column the positions of the cards are always dense, `0..<count`.
/// `version` is 1 at creation and grows by one with every applied move; a move names
/// the version it expects (optimistic concurrency).
public struct Card: Sendable, Hashable {
    public var projectID: String
    public var id: String
    public var columnID: String
    public var position: Int
    public var title: String
    public var version: Int
    /// Unix time in milliseconds (the time of the command that created the card).
    public var createdAt: Int64
    /// Unix time in milliseconds (the time of the last applied change).
    public var updatedAt: Int64

    public init(
        projectID: String, id: String, columnID: String, position: Int, title: String,
        version: Int, createdAt: Int64, updatedAt: Int64
    ) {
        self.projectID = projectID
        self.id = id
        self.columnID = columnID
        self.position = position
        self.title = title
        self.version = version
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
