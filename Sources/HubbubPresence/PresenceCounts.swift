/// How many users and connections a room shows.
///
/// `connections` counts metas: a user in their grace period still counts their last
/// connection until the grace ends, so the counts always match the entries clients hold.
public struct PresenceCounts: Sendable, Hashable {
    public var users: Int
    public var connections: Int

    public init(users: Int, connections: Int) {
        self.users = users
        self.connections = connections
    }

    public static let zero = PresenceCounts(users: 0, connections: 0)
}
