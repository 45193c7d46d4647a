import HubbubJSON
import HubbubStore

/// A seed file, parsed and validated as a whole before the store is touched:
///
///     {"projects": [{"id", "name",
///                    "members": [{"user_id", "name", "email", "username"}],
///                    "columns": [{"id", "name", "cards": [{"id"?, "title"}]}]}]}
///
/// `members`, `columns` and `cards` may be omitted; unknown keys are refused (they are
/// typos more often than not). Errors name the offending place, e.g.
/// `projects[0].members[1].email`.
struct AdminSeedDocument: Sendable {
    struct ProjectEntry: Sendable {
        var project: Project
        var members: [Member]
        var columns: [ColumnEntry]
    }

    struct ColumnEntry: Sendable {
        var id: String
        var name: String
        var cards: [CardEntry]
    }

    struct CardEntry: Sendable {
        /// `nil`: the store chooses one.
        var id: String?
        var title: String
    }

    var projects: [ProjectEntry]

    /// Parses and validates a seed document; `source` names it in messages.
    static func parse(_ bytes: [UInt8], source: String) throws(AdminError) -> AdminSeedDocument {
        guard let root = JSONParser.parse(bytes) else {
            throw .usage("\(source) is not valid JSON (strict RFC 8259, at most \(JSONParser.maxDepth) levels deep)")
        }
        let top = try object(root, "the document", keys: ["projects"])
        let projects = try array(top["projects"], "projects", required: true)
        var seen = Set<String>()
        var entries: [ProjectEntry] = []
        for (index, value) in projects.enumerated() {
            let entry = try project(value, "projects[\(index)]")
            guard seen.insert(entry.project.id).inserted else {
                throw .usage("projects[\(index)].id: project \(entry.project.id) appears twice")
            }
            entries.append(entry)
        }
        return AdminSeedDocument(projects: entries)
    }

    private static func project(_ value: JSONValue, _ path: String) throws(AdminError) -> ProjectEntry {
        let fields = try object(value, path, keys: ["id", "name", "members", "columns"])
        let id = try string(fields, "id", path)
        try AdminValidation.entityID(id, "\(path).id")
        let name = try string(fields, "name", path)
        try AdminValidation.name(name, "\(path).name")

        var members: [Member] = []
        var userIDs = Set<String>()
        var usernames = Set<String>()
        for (index, item) in try array(fields["members"], "\(path).members").enumerated() {
            let member = try member(item, "\(path).members[\(index)]", project: id)
            guard userIDs.insert(member.userID).inserted else {
                throw .usage("\(path).members[\(index)].user_id: \(member.userID) appears twice")
            }
            guard usernames.insert(member.username.lowercased()).inserted else {
                throw .usage("\(path).members[\(index)].username: \(member.username) appears twice (case-insensitively)")
            }
            members.append(member)
        }

        var columns: [ColumnEntry] = []
        var columnIDs = Set<String>()
        var cardIDs = Set<String>()
        for (index, item) in try array(fields["columns"], "\(path).columns").enumerated() {
            let columnPath = "\(path).columns[\(index)]"
            let column = try column(item, columnPath)
            guard columnIDs.insert(column.id).inserted else {
                throw .usage("\(columnPath).id: column \(column.id) appears twice")
            }
            for (cardIndex, card) in column.cards.enumerated() {
                if let cardID = card.id, !cardIDs.insert(cardID).inserted {
                    throw .usage("\(columnPath).cards[\(cardIndex)].id: card \(cardID) appears twice in the project")
                }
            }
            columns.append(column)
        }
        return ProjectEntry(project: Project(id: id, name: name), members: members, columns: columns)
    }

    private static func member(_ value: JSONValue, _ path: String, project: String) throws(AdminError) -> Member {
        let fields = try object(value, path, keys: ["user_id", "name", "email", "username"])
        let member = Member(
            projectID: project, userID: try string(fields, "user_id", path),
            displayName: try string(fields, "name", path), email: try string(fields, "email", path),
            username: try string(fields, "username", path))
        try AdminValidation.userID(member.userID, "\(path).user_id")
        try AdminValidation.name(member.displayName, "\(path).name")
        try AdminValidation.email(member.email, "\(path).email")
        try AdminValidation.username(member.username, "\(path).username")
        return member
    }

    private static func column(_ value: JSONValue, _ path: String) throws(AdminError) -> ColumnEntry {
        let fields = try object(value, path, keys: ["id", "name", "cards"])
        let id = try string(fields, "id", path)
        try AdminValidation.entityID(id, "\(path).id")
        let name = try string(fields, "name", path)
        try AdminValidation.name(name, "\(path).name")
        var cards: [CardEntry] = []
        for (index, item) in try array(fields["cards"], "\(path).cards").enumerated() {
            let cardPath = "\(path).cards[\(index)]"
            let card = try object(item, cardPath, keys: ["id", "title"])
            let cardID = try optionalString(card, "id", cardPath)
            if let cardID { try AdminValidation.entityID(cardID, "\(cardPath).id") }
            let title = try string(card, "title", cardPath)
            try AdminValidation.title(title, "\(cardPath).title")
            cards.append(CardEntry(id: cardID, title: title))
        }
        return ColumnEntry(id: id, name: name, cards: cards)
    }
}
