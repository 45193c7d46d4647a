// Temporary stand-in until the parser lands (same API).
public struct MentionCandidateMember: Sendable, Equatable {
    public var userID: String
    public var username: String
    public init(userID: String, username: String) {
        self.userID = userID
        self.username = username
    }
}

public enum MentionParser {
    public static func mentions(in text: String, members: [MentionCandidateMember], authorUserID: String, limit: Int = 50) -> [MentionCandidateMember] {
        []
    }
}

public enum Excerpt {
    public static func make(_ text: String, limit: Int = 200) -> String { String(text.unicodeScalars.prefix(limit)) }
}
