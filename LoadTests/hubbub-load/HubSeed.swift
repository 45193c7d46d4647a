/// The seed document for `hubbub admin seed FILE` (docs/admin.md) that the hub
/// scenario needs: rooms `<project-prefix>0..R-1`, each with the users of its
/// connections as members (user i is in room i % R) and one column `col_0` holding one
/// card `card_0`. Seeding is idempotent, so the same file can be applied again.
enum HubSeed {
    static func displayName(index: Int) -> String { "Load user \(index)" }

    static func document(_ settings: HubSettings) -> JSONValue {
        var members = Array(repeating: [JSONValue](), count: settings.rooms)
        for index in 0..<settings.connections {
            let user = settings.userID(index)
            members[settings.room(ofConnection: index)].append(.object([
                ("user_id", .string(user)),
                ("name", .string(displayName(index: index))),
                ("email", .string("\(user)@load.test")),
                ("username", .string(user)),
            ]))
        }
        let projects: [JSONValue] = (0..<settings.rooms).map { room in
            .object([
                ("id", .string(settings.roomID(room))),
                ("name", .string("Load test room \(room)")),
                ("members", .array(members[room])),
                ("columns", .array([.object([
                    ("id", .string(HubSettings.columnID)),
                    ("name", .string("Load column")),
                    ("cards", .array([.object([("id", .string(HubSettings.cardID)), ("title", .string("Load card"))])])),
                ])])),
            ])
        }
        return .object([("projects", .array(projects))])
    }

    /// Writes the document to `path` (replacing it).
    static func write(_ settings: HubSettings, to path: String) throws {
        try TextFile.write(document(settings).rendered() + "\n", to: path, option: "--seed-file")
    }
}
