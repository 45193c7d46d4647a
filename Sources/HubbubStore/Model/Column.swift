/// A board column. Columns are ordered by `position`, then by `id`; positions are set by
/// the administrator and need not be dense.
public struct Column: Sendable, Hashable {
    public var projectID: String
    public var id: String
    public var name: String
    public var position: Int

    public init(projectID: String, id: String, name: String, position: Int) {
        self.projectID = projectID
        self.id = id
        self.name = name
        self.position = position
    }
}
