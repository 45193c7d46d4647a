import HubbubStore
import Testing

extension StoreContract {
    func editCard(
        id: String, title: String? = nil, delete: Bool = false, expecting version: Int? = nil, time: Int64 = t0 + 2000
    ) -> Command {
        Command(
            room: "apollo", actor: .service("pm-app"), correlationID: "edit-\(id)",
            kind: delete
                ? .deleteCard(cardID: id, expectedVersion: version)
                : .updateCard(cardID: id, title: title ?? "", expectedVersion: version),
            time: time)
    }

    /// A rename bumps the version and reports the card; a stale expected version is a
    /// conflict that changes nothing.
    func cardRenames() async throws {
        try await seedProject()
        try await stored(createCard(id: "A", position: 0))
        let event = try await stored(editCard(id: "A", title: "Renamed", expecting: 1))
        #expect(event.type == "card.updated")
        #expect(try JSON.object(event.payload).object("card")?.string("title") == "Renamed")
        #expect(try JSON.object(event.payload).object("card")?.int("version") == 2)
        #expect(try await card("A").title == "Renamed")
        #expect(try await card("A").version == 2)
        guard case .conflict(let current) = try await commitOne(editCard(id: "A", title: "Stale", expecting: 1)) else {
            Issue.record("expected a conflict")
            return
        }
        #expect(current.title == "Renamed")
        try await stored(editCard(id: "A", title: "Unguarded"))
        #expect(try await card("A").version == 3)
        #expect(try await commitOne(editCard(id: "nope", title: "x")) == .notFound(.card("nope")))
    }

    /// A deletion closes the gap in its column and reports the card as it was.
    func cardDeletions() async throws {
        try await seedProject()
        for (n, id) in ["A", "B", "C"].enumerated() { try await stored(createCard(id: id, position: n)) }
        let event = try await stored(editCard(id: "A", delete: true))
        #expect(event.type == "card.deleted")
        #expect(try JSON.object(event.payload).object("card")?.string("id") == "A")
        #expect(try JSON.object(event.payload).object("card")?.int("position") == 0)
        #expect(try await layout()["backlog"] == ["B", "C"])
        let board = try #require(try await store.board(projectID: "apollo"))
        let backlog = try #require(board.columns.first { $0.column.id == "backlog" })
        #expect(backlog.cards.map(\.position) == [0, 1])
        #expect(try await commitOne(editCard(id: "A", delete: true)) == .notFound(.card("A")))
        guard case .conflict = try await commitOne(editCard(id: "B", delete: true, expecting: 7)) else {
            Issue.record("expected a conflict")
            return
        }
    }

    /// Only an empty column can be deleted.
    func columnDeletion() async throws {
        try await seedProject()
        try await stored(createCard(id: "A", column: "doing"))
        await #expect(throws: StoreError.self) { try await store.deleteColumn(projectID: "apollo", columnID: "doing") }
        try await store.deleteColumn(projectID: "apollo", columnID: "done")
        #expect(try await store.columns(projectID: "apollo").map(\.id).contains("done") == false)
        await #expect(throws: StoreError.self) { try await store.deleteColumn(projectID: "apollo", columnID: "done") }
        await #expect(throws: StoreError.self) { try await store.deleteColumn(projectID: "nope", columnID: "x") }
    }
}

extension StoreContractTests {
    @Test(arguments: StoreFactory.all)
    func cardRenames(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).cardRenames() }
    }

    @Test(arguments: StoreFactory.all)
    func cardDeletions(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).cardDeletions() }
    }

    @Test(arguments: StoreFactory.all)
    func columnDeletion(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).columnDeletion() }
    }
}
