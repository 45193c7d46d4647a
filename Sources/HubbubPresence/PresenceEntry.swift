/// One user's presence in a room: who they are and one meta per connection.
///
/// `metas` is never empty and is in the order the connections joined. While a user is in
/// their grace period (their last connection closed less than
/// ``PresenceConfiguration/gracePeriod`` ago) it holds that last connection's meta, unchanged,
/// so that a quick reconnect is invisible.
public struct PresenceEntry: Sendable, Hashable {
    public var userID: String
    /// Display name, from the user's most recent join.
    public var name: String
    /// Username, from the user's most recent join, if the caller supplied one.
    public var username: String?
    public var metas: [PresenceMeta]

    public init(userID: String, name: String, username: String? = nil, metas: [PresenceMeta]) {
        self.userID = userID
        self.name = name
        self.username = username
        self.metas = metas
    }

    /// The meta of connection `connID`, if the user has it.
    public func meta(connID: String) -> PresenceMeta? {
        metas.first { $0.connID == connID }
    }
}
