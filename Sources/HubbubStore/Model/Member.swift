/// A user's membership in a project.
///
/// `username` is what `@mentions` name; it is unique per project compared
/// case-insensitively (ASCII), so a mention resolves to one member. `email` is for the
/// mailer only and is never sent over the client protocol.
public struct Member: Sendable, Hashable {
    public var projectID: String
    /// The JWT `sub` of the user.
    public var userID: String
    public var displayName: String
    public var email: String
    public var username: String

    public init(projectID: String, userID: String, displayName: String, email: String, username: String) {
        self.projectID = projectID
        self.userID = userID
        self.displayName = displayName
        self.email = email
        self.username = username
    }
}
