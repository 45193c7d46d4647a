import HubbubStore
import Testing

extension StoreContract {
    func projectsCRUD() async throws {
        #expect(try await store.listProjects() == [])
        #expect(try await store.project(id: "a") == nil)
        try await store.upsertProject(Project(id: "b", name: "Bravo"))
        try await store.upsertProject(Project(id: "a", name: "Alpha"))
        #expect(try await store.listProjects() == [Project(id: "a", name: "Alpha"), Project(id: "b", name: "Bravo")])
        try await store.upsertProject(Project(id: "a", name: "Alpha 2"))
        #expect(try await store.project(id: "a") == Project(id: "a", name: "Alpha 2"))
        #expect(try await store.headSeq(room: "a") == 0)
        try await store.deleteProject(id: "b")
        try await store.deleteProject(id: "does-not-exist")
        #expect(try await store.listProjects() == [Project(id: "a", name: "Alpha 2")])
    }

    /// Deleting a project removes everything in it, and a project created again with the
    /// same id starts a new room at seq 1; other projects are untouched.
    func deleteProjectCascades() async throws {
        try await seedProject("doomed")
        try await seedProject("kept")
        for room in ["doomed", "kept"] {
            try await stored(createCard(room, id: "c1"))
            try await stored(comment(room, card: "c1", mentions: ["u_bob"], notify: ["u_bob"]))
        }
        try await store.deleteProject(id: "doomed")

        #expect(try await store.project(id: "doomed") == nil)
        #expect(try await store.members(projectID: "doomed") == [])
        #expect(try await store.columns(projectID: "doomed") == [])
        #expect(try await store.board(projectID: "doomed") == nil)
        #expect(try await store.headSeq(room: "doomed") == 0)
        #expect(try await store.events(room: "doomed", afterSeq: 0, limit: 100) == [])
        let pending = try await store.pendingNotifications(limit: 100)
        #expect(pending.map(\.room) == ["kept"])
        #expect(try await store.events(room: "kept", afterSeq: 0, limit: 100).map(\.seq) == [1, 2])

        try await seedProject("doomed")
        #expect(try await store.board(projectID: "doomed")?.columns.flatMap(\.cards) == [])
        #expect(try await stored(createCard("doomed", id: "c1", key: "k1")).seq == 1)
        try await store.deleteProject(id: "doomed")
        try await seedProject("doomed")
        #expect(try await stored(createCard("doomed", id: "c1", key: "k1")).seq == 1, "its request keys went too")
    }

    func membersCRUD() async throws {
        let missing = await storeError { () throws(StoreError) in
            try await store.upsertMember(
                Member(projectID: "nope", userID: "u", displayName: "U", email: "u@x", username: "u"))
        }
        #expect(missing?.code == .notFound)

        try await store.upsertProject(Project(id: "p", name: "P"))
        try await store.upsertProject(Project(id: "q", name: "Q"))
        let bob = Member(projectID: "p", userID: "u_bob", displayName: "Bob", email: "bob@x", username: "bob")
        var alice = Member(projectID: "p", userID: "u_alice", displayName: "Alice", email: "a@x", username: "Alice")
        let carol = Member(projectID: "p", userID: "u_carol", displayName: "Carol", email: "c@x", username: "carol")
        for member in [carol, bob, alice] { try await store.upsertMember(member) }
        #expect(try await store.members(projectID: "p") == [alice, bob, carol], "ordered by username, any case")
        #expect(try await store.members(projectID: "q") == [])

        alice.displayName = "Alice Adams"
        alice.email = "alice@example.com"
        try await store.upsertMember(alice)
        #expect(try await store.member(projectID: "p", userID: "u_alice") == alice)
        #expect(try await store.member(projectID: "q", userID: "u_alice") == nil)

        // Usernames are unique per project, case-insensitively; a member may change the case of their own.
        let taken = await storeError { () throws(StoreError) in
            try await store.upsertMember(
                Member(projectID: "p", userID: "u_dan", displayName: "Dan", email: "d@x", username: "BOB"))
        }
        #expect(taken?.code == .constraint)
        #expect(try await store.member(projectID: "p", userID: "u_dan") == nil)
        alice.username = "ALICE"
        try await store.upsertMember(alice)
        #expect(try await store.member(projectID: "p", userID: "u_alice")?.username == "ALICE")
        try await store.upsertMember(
            Member(projectID: "q", userID: "u_dan", displayName: "Dan", email: "d@x", username: "bob"))

        try await store.removeMember(projectID: "p", userID: "u_bob")
        try await store.removeMember(projectID: "p", userID: "u_bob")
        #expect(try await store.member(projectID: "p", userID: "u_bob") == nil)
        #expect(try await store.members(projectID: "p").map(\.userID) == ["u_alice", "u_carol"])
    }

    /// Columns in display order (position, then id); the board lists them so, each with its
    /// cards in position order, together with the head seq it reflects.
    func columnsAndBoardOrdering() async throws {
        let missing = await storeError { () throws(StoreError) in
            try await store.upsertColumn(Column(projectID: "nope", id: "c", name: "C", position: 0))
        }
        #expect(missing?.code == .notFound)
        #expect(try await store.board(projectID: "nope") == nil)

        try await store.upsertProject(Project(id: "p", name: "P"))
        #expect(try await store.board(projectID: "p") == Board(projectID: "p", headSeq: 0, columns: []))
        for (id, position) in [("z", 5), ("c", 2), ("a", 0), ("y", 5), ("b", 1)] {
            try await store.upsertColumn(Column(projectID: "p", id: id, name: id.uppercased(), position: position))
        }
        #expect(try await store.columns(projectID: "p").map(\.id) == ["a", "b", "c", "y", "z"])
        try await store.upsertColumn(Column(projectID: "p", id: "a", name: "Renamed", position: 9))
        let columns = try await store.columns(projectID: "p")
        #expect(columns.map(\.id) == ["b", "c", "y", "z", "a"])
        #expect(columns.last == Column(projectID: "p", id: "a", name: "Renamed", position: 9))

        for (index, id) in ["x1", "x2", "x3"].enumerated() {
            try await stored(createCard("p", id: id, column: "c", position: index, time: Self.t0 + Int64(index)))
        }
        try await stored(createCard("p", id: "y1", column: "y", position: 0))
        let board = try #require(try await store.board(projectID: "p"))
        #expect(board.headSeq == 4)
        #expect(board.columns.map(\.column) == columns)
        #expect(board.columns.map { $0.cards.map(\.id) } == [[], ["x1", "x2", "x3"], ["y1"], [], []])
        let x2 = try #require(board.columns[1].cards.dropFirst().first)
        #expect(
            x2
                == Card(
                    projectID: "p", id: "x2", columnID: "c", position: 1, title: "Card x2", version: 1,
                    createdAt: Self.t0 + 1, updatedAt: Self.t0 + 1))
    }

    func pingAndClose() async throws {
        try await store.ping()
        try await store.upsertProject(Project(id: "p", name: "P"))
        await store.close()
        await store.close()
        let afterClose = await storeError { () throws(StoreError) in _ = try await store.headSeq(room: "p") }
        #expect(afterClose == .closed)
        let commitAfterClose = await storeError { () throws(StoreError) in
            _ = try await store.commit([custom("p")])
        }
        #expect(commitAfterClose == .closed)
        let pingAfterClose = await storeError { () throws(StoreError) in try await store.ping() }
        #expect(pingAfterClose?.code == .closed)
    }
}
