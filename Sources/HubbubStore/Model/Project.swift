/// A project: the unit of membership and the room its events go to (room id = project id).
public struct Project: Sendable, Hashable {
    /// Entity id (`[A-Za-z0-9][A-Za-z0-9._:-]{0,63}`, validated by the caller).
    public var id: String
    /// Display name, 1-200 characters.
    public var name: String

    public init(id: String, name: String) {
        self.id = id
        self.name = name
    }
}
