import HubbubStore

extension AdminSeedDocument {
    /// `hubbub admin seed --demo`: the quick-start project `p_demo` with three members,
    /// three columns and three cards in "To do".
    static let demo: AdminSeedDocument = {
        let project = "p_demo"
        let member = { (user: String, name: String, username: String, email: String) in
            Member(projectID: project, userID: user, displayName: name, email: email, username: username)
        }
        return AdminSeedDocument(projects: [
            ProjectEntry(
                project: Project(id: project, name: "Demo project"),
                members: [
                    member("u_alice", "Alice Adams", "alice", "alice@example.com"),
                    member("u_bob", "Bob Baker", "bob", "bob@example.com"),
                    member("u_carol", "Carol Chen", "carol.chen", "carol@example.com"),
                ],
                columns: [
                    ColumnEntry(
                        id: "col_todo", name: "To do",
                        cards: [
                            CardEntry(id: "card_welcome", title: "Say hello to the team"),
                            CardEntry(id: "card_mention", title: "Mention @bob in a comment"),
                            CardEntry(id: "card_move", title: "Drag this card to Doing"),
                        ]),
                    ColumnEntry(id: "col_doing", name: "Doing", cards: []),
                    ColumnEntry(id: "col_done", name: "Done", cards: []),
                ]),
        ])
    }()
}
