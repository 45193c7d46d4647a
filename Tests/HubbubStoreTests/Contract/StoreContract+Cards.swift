import HubbubStore
import Testing

extension StoreContract {
    /// Creating inserts at the (clamped) position and pushes later cards down; the
    /// payload is the protocol's `card.created`.
    func cardCreation() async throws {
        try await seedProject()
        try await stored(createCard(id: "A", position: 0))
        try await stored(createCard(id: "B", position: 0))
        try await stored(createCard(id: "C", position: 1))
        let d = try await stored(createCard(id: "D", position: 99))
        try await stored(createCard(id: "E", position: -5))
        #expect(try await layout()["backlog"] == ["E", "B", "C", "A", "D"])

        let payload = try JSON.object(d.payload)
        let json = try #require(payload.object("card"))
        #expect(json.string("id") == "D")
        #expect(json.string("column_id") == "backlog")
        #expect(json.int("position") == 3, "the applied (clamped) position")
        #expect(json.string("title") == "Card D")
        #expect(json.int("version") == 1)
        #expect(json.string("created_at") == "2025-06-02T12:00:00.000Z")
        #expect(json.string("updated_at") == "2025-06-02T12:00:00.000Z")
        #expect(d.type == "card.created")

        let generated = try await stored(createCard(id: nil, column: "doing", title: "No id"))
        let generatedID = try #require(try JSON.object(generated.payload).object("card")?.string("id"))
        #expect(!generatedID.isEmpty)
        #expect(try await card(generatedID).title == "No id")

        guard case .rejected(let error) = try await commitOne(createCard(id: "A", column: "done")) else {
            Issue.record("expected an existing id to be rejected")
            return
        }
        #expect(error.code == .alreadyExists)
        #expect(try await commitOne(createCard(id: "Z", column: "nope")) == .notFound(.column("nope")))
        #expect(try await store.headSeq(room: "apollo") == 6)
        #expect(try await layout() == ["backlog": ["E", "B", "C", "A", "D"], "doing": [generatedID], "done": []])
    }

    /// Moves within and across columns keep positions dense, bump the version and
    /// report from/to as applied.
    func cardMoves() async throws {
        try await seedProject()
        for (n, id) in ["A", "B", "C", "D"].enumerated() {
            try await stored(createCard(id: id, position: n))
        }
        // Down within the column.
        var event = try await stored(moveCard(id: "A", to: "backlog", at: 2, expecting: 1, time: Self.t0 + 1500))
        #expect(try await layout()["backlog"] == ["B", "C", "A", "D"])
        let payload = try JSON.object(event.payload)
        #expect(payload.object("from")?.string("column_id") == "backlog")
        #expect(payload.object("from")?.int("position") == 0)
        #expect(payload.object("to")?.string("column_id") == "backlog")
        #expect(payload.object("to")?.int("position") == 2)
        #expect(payload.object("card")?.int("version") == 2)
        #expect(payload.object("card")?.string("updated_at") == "2025-06-02T12:00:01.500Z")
        #expect(event.type == "card.moved")
        #expect(event.actor == Self.bob)
        let a = try await card("A")
        #expect(a.version == 2 && a.updatedAt == Self.t0 + 1500 && a.createdAt == Self.t0)

        // Up within the column.
        try await stored(moveCard(id: "D", to: "backlog", at: 0, expecting: 1))
        #expect(try await layout()["backlog"] == ["D", "B", "C", "A"])
        // Past the end: clamped to the last place.
        event = try await stored(moveCard(id: "B", to: "backlog", at: 42, expecting: 1))
        #expect(try JSON.object(event.payload).object("to")?.int("position") == 3)
        #expect(try await layout()["backlog"] == ["D", "C", "A", "B"])
        // To the same place: still a move (version bumps).
        try await stored(moveCard(id: "C", to: "backlog", at: 1, expecting: 1))
        #expect(try await card("C").version == 2)
        // Across columns, into the middle and past the end (clamped to the count).
        try await stored(moveCard(id: "A", to: "done", at: 5, expecting: 2))
        #expect(try await layout() == ["backlog": ["D", "C", "B"], "doing": [], "done": ["A"]])
        try await stored(moveCard(id: "D", to: "done", at: 0, expecting: 2))
        try await stored(moveCard(id: "B", to: "done", at: 1, expecting: 2))
        event = try await stored(moveCard(id: "C", to: "doing", at: -3, expecting: 2))
        #expect(try JSON.object(event.payload).object("to")?.int("position") == 0)
        #expect(try await layout() == ["backlog": [], "doing": ["C"], "done": ["D", "B", "A"]])
        #expect(try await card("A").version == 3)
        #expect(try await card("B").version == 3)

        #expect(try await commitOne(moveCard(id: "A", to: "nope", at: 0, expecting: 3)) == .notFound(.column("nope")))
        #expect(try await commitOne(moveCard(id: "X", to: "done", at: 0, expecting: 1)) == .notFound(.card("X")))
        #expect(try await store.headSeq(room: "apollo") == 12)
    }

    /// A stale `expectedVersion` returns the card as it is and changes nothing.
    func staleMoveConflicts() async throws {
        try await seedProject()
        try await stored(createCard(id: "A", position: 0))
        try await stored(createCard(id: "B", position: 1))
        try await stored(moveCard(id: "A", to: "doing", at: 0, expecting: 1))
        let before = try #require(try await store.board(projectID: "apollo"))
        let current = try await card("A")
        #expect(current.version == 2)

        for stale in [1, 3] {
            let outcome = try await commitOne(moveCard(id: "A", to: "backlog", at: 0, expecting: stale))
            #expect(outcome == .conflict(current: current))
        }
        #expect(try await store.board(projectID: "apollo") == before)
        #expect(try await store.headSeq(room: "apollo") == 3)
    }

    /// Many tasks moving cards at once, each with the version it last read: the board
    /// ends dense, every card's version counts its successful moves, and replaying the
    /// events on top of nothing gives exactly the stored board.
    func concurrentMovesStayConsistent() async throws {
        try await seedProject()
        let columns = ["backlog", "doing", "done"]
        var cards: [String] = []
        for n in 0..<12 {
            let id = "card\(n)"
            try await stored(createCard(id: id, column: columns[n % 3], position: n / 3))
            cards.append(id)
        }
        let allCards = cards
        let successes = try await withThrowingTaskGroup(of: [String: Int].self) { group in
            for task in 0..<8 {
                group.addTask {
                    var generator = SplitMix64(seed: UInt64(task + 1))
                    var moved: [String: Int] = [:]
                    for attempt in 0..<20 {
                        let id = allCards[Int(generator.next() % UInt64(allCards.count))]
                        let version = try await card(id).version
                        let command = moveCard(
                            id: id, to: columns[Int(generator.next() % 3)], at: Int(generator.next() % 6),
                            expecting: version, actor: .user(id: "u_\(task)", name: "Task \(task)"),
                            time: Self.t0 + Int64(task * 100 + attempt))
                        switch try await commitOne(command) {
                        case .stored: moved[id, default: 0] += 1
                        case .conflict: break
                        case let other: Issue.record("unexpected outcome \(other)")
                        }
                    }
                    return moved
                }
            }
            var total: [String: Int] = [:]
            for try await moved in group { total.merge(moved, uniquingKeysWith: +) }
            return total
        }

        let board = try #require(try await store.board(projectID: "apollo"))
        let layout = try await layout()
        #expect(layout.values.map(\.count).reduce(0, +) == 12)
        for card in board.columns.flatMap(\.cards) {
            #expect(card.version == 1 + (successes[card.id] ?? 0), "version of \(card.id)")
        }
        let events = try await store.events(room: "apollo", afterSeq: 0, limit: 10_000)
        #expect(events.filter { $0.type == "card.moved" }.count == successes.values.reduce(0, +))
        #expect(events.last?.seq == board.headSeq)
        #expect(try Self.replay(events) == layout)
    }

    /// Rebuilds the board's layout from `card.created` and `card.moved` payloads alone,
    /// checking on the way that each move's `from` is where the card was.
    static func replay(_ events: [StoredEvent]) throws -> [String: [String]] {
        var layout: [String: [String]] = ["backlog": [], "doing": [], "done": []]
        for event in events {
            let payload = try JSON.object(event.payload)
            let card = try #require(payload.object("card"))
            let id = try #require(card.string("id"))
            let column = try #require(card.string("column_id"))
            let position = try #require(card.int("position"))
            switch event.type {
            case "card.created":
                layout[column, default: []].insert(id, at: position)
            case "card.moved":
                let from = try #require(payload.object("from"))
                let fromColumn = try #require(from.string("column_id"))
                let fromPosition = try #require(from.int("position"))
                #expect(layout[fromColumn]?[fromPosition] == id, "seq \(event.seq): \(id) not at its from")
                layout[fromColumn]?.remove(at: fromPosition)
                layout[column, default: []].insert(id, at: position)
            default:
                continue
            }
        }
        return layout
    }
}

/// A small seeded generator, so a failing interleaving's choices can be reproduced.
struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
