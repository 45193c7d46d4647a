import HubbubStore
import Testing

/// The behaviour every ``Store`` implementation must have, one method per behaviour,
/// written against `any Store` only. `StoreContractTests` runs each method against every
/// ``StoreFactory``; a new backend passes when it passes all of them.
struct StoreContract {
    let store: any Store

    // MARK: Fixture

    /// 2025-06-02T12:00:00.000Z
    static let t0: Int64 = 1_748_865_600_000
    static let alice = EventActor.user(id: "u_alice", name: "Alice Adams")
    static let bob = EventActor.user(id: "u_bob", name: "Bob Baker")

    /// A project with members alice, bob and carol and columns backlog, doing, done.
    @discardableResult
    func seedProject(_ id: String = "apollo", name: String = "Apollo launch") async throws -> Project {
        let project = Project(id: id, name: name)
        try await store.upsertProject(project)
        for (user, display, username) in [
            ("u_alice", "Alice Adams", "alice"), ("u_bob", "Bob Baker", "bob"), ("u_carol", "Carol Chen", "carol.chen"),
        ] {
            try await store.upsertMember(
                Member(
                    projectID: id, userID: user, displayName: display, email: "\(username)@example.com",
                    username: username))
        }
        for (position, column) in ["backlog", "doing", "done"].enumerated() {
            try await store.upsertColumn(
                Column(projectID: id, id: column, name: column.uppercased(), position: position))
        }
        return project
    }

    // MARK: Commands

    func comment(
        _ room: String = "apollo", card: String, text: String = "hello", actor: EventActor = alice,
        key: String? = nil, mentions: [String] = [], notify: [String] = [], time: Int64 = t0
    ) -> Command {
        Command(
            room: room, actor: actor, requestKey: key.map { IdempotencyKey(scope: Self.actorID(actor), key: $0) },
            correlationID: key ?? "corr-\(text.count)",
            kind: .comment(cardID: card, text: text, mentions: mentions, notifyOffline: notify), time: time)
    }

    func createCard(
        _ room: String = "apollo", id: String?, column: String = "backlog", position: Int = 0,
        title: String? = nil, key: String? = nil, time: Int64 = t0
    ) -> Command {
        Command(
            room: room, actor: Self.alice, requestKey: key.map { IdempotencyKey(scope: "u_alice", key: $0) },
            correlationID: key ?? "create-\(id ?? "auto")",
            kind: .createCard(cardID: id, columnID: column, position: position, title: title ?? "Card \(id ?? "?")"),
            time: time)
    }

    func moveCard(
        _ room: String = "apollo", id: String, to column: String, at position: Int, expecting version: Int,
        actor: EventActor = bob, key: String? = nil, time: Int64 = t0 + 1000
    ) -> Command {
        Command(
            room: room, actor: actor, requestKey: key.map { IdempotencyKey(scope: Self.actorID(actor), key: $0) },
            correlationID: key ?? "move-\(id)",
            kind: .moveCard(cardID: id, toColumn: column, toPosition: position, expectedVersion: version),
            time: time)
    }

    func custom(
        _ room: String = "apollo", type: String = "custom.build.finished", payload: String = #"{"ok":true}"#,
        notify: [String] = [], correlation: String = "pub-1", time: Int64 = t0
    ) -> Command {
        Command(
            room: room, actor: .service("ci"), correlationID: correlation,
            kind: .custom(type: type, payload: payload, notify: notify), time: time)
    }

    // MARK: Helpers

    /// Commits one command alone and returns its outcome.
    func commitOne(_ command: Command) async throws -> CommandOutcome {
        let outcomes = try await store.commit([command])
        try #require(outcomes.count == 1)
        return outcomes[0]
    }

    /// Commits one command that must be stored; returns its event.
    @discardableResult
    func stored(_ command: Command, sourceLocation: SourceLocation = #_sourceLocation) async throws -> StoredEvent {
        try Self.event(of: try await commitOne(command), sourceLocation: sourceLocation)
    }

    static func event(of outcome: CommandOutcome, sourceLocation: SourceLocation = #_sourceLocation) throws
        -> StoredEvent
    {
        guard case .stored(let event) = outcome else {
            Issue.record("expected .stored, got \(outcome)", sourceLocation: sourceLocation)
            throw ContractFailure()
        }
        return event
    }

    /// The board's columns as card ids, e.g. `["backlog": ["a", "b"], ...]`.
    func layout(_ projectID: String = "apollo") async throws -> [String: [String]] {
        let board = try #require(try await store.board(projectID: projectID))
        var result: [String: [String]] = [:]
        for column in board.columns {
            #expect(column.cards.map(\.position) == Array(0..<column.cards.count), "positions of \(column.column.id)")
            #expect(column.cards.allSatisfy { $0.columnID == column.column.id })
            result[column.column.id] = column.cards.map(\.id)
        }
        return result
    }

    func card(_ id: String, in projectID: String = "apollo") async throws -> Card {
        let board = try #require(try await store.board(projectID: projectID))
        return try #require(board.columns.flatMap(\.cards).first { $0.id == id }, "card \(id)")
    }

    static func actorID(_ actor: EventActor) -> String {
        switch actor {
        case .user(let id, _): id
        case .service(let name): name
        }
    }
}

/// Thrown after an `Issue.record` to stop a contract method.
struct ContractFailure: Error {}

/// Runs `body` and returns the ``StoreError`` it threw (recording an issue if it did not throw).
func storeError(
    sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws(StoreError) -> Void
) async -> StoreError? {
    do {
        try await body()
        Issue.record("expected a StoreError", sourceLocation: sourceLocation)
        return nil
    } catch {
        return error
    }
}
