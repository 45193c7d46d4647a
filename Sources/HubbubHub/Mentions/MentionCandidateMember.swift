/// A room member as the mention parser sees it: who, and the username to match.
public struct MentionCandidateMember: Sendable, Equatable {
    public var userID: String
    /// The member's username as recorded (matched ignoring ASCII case, reported as is).
    public var username: String

    public init(userID: String, username: String) {
        self.userID = userID
        self.username = username
    }
}
