import HubbubPostgres
import HubbubStore
import Testing

/// The PostgreSQL store writes the same bytes as the SQLite store: event payloads (which
/// the hub embeds raw into frames) and outbox payloads.
@Suite("PostgreSQL: payloads")
struct PostgresPayloadTests {
    @Test func payloadsAreByteForByteTheSQLiteOnes() async throws {
        let sqlite = try await SQLiteStore.inMemory()
        let postgres = try await StoreFactory.postgres.open()
        let stores: [any Store] = [sqlite, postgres.store]
        var events: [[StoredEvent]] = []
        var outbox: [[OutboxEntry]] = []
        let text = "tricky \"quoted\" \\ line\nbreak\ttab \u{1} \u{7f} é 🚀 </script> @bob @carol.chen"
        for store in stores {
            let contract = StoreContract(store: store)
            try await contract.seedProject()
            let batch = [
                contract.createCard(id: "c1", title: "Launch \"checklist\" ✓"),
                contract.createCard(id: "c2", column: "doing", position: 7, title: "Second\u{0}less"),
                contract.createCard(id: "c3", column: "doing", position: 0),
                contract.moveCard(id: "c3", to: "backlog", at: 0, expecting: 1),
                contract.moveCard(id: "c1", to: "backlog", at: 9, expecting: 1),
                contract.comment(card: "c1", text: text, mentions: ["u_bob", "u_carol", "u_bob"], notify: ["u_bob"]),
                contract.custom(payload: #"{"a": [1, 2.50, "x"], "b":{}}"#, notify: ["u_carol"]),
            ]
            let outcomes = try await store.commit(batch)
            events.append(try outcomes.compactMap { outcome in
                if case .rejected(let error) = outcome {
                    #expect(error.code == .invalidArgument)  // the NUL in c2's title (PostgreSQL only)
                    return nil
                }
                return try StoreContract.event(of: outcome)
            })
            outbox.append(try await store.pendingNotifications(limit: 10))
        }
        let (lite, pg) = (events[0], events[1])
        #expect(lite.count == 7)
        #expect(pg.count == 6, "PostgreSQL text cannot hold NUL: that create is rejected")
        let comparable = lite.filter { !$0.payload.contains("Second") }
        try #require(comparable.count == pg.count)
        for (a, b) in zip(comparable, pg) {
            #expect(a.type == b.type)
            #expect(Self.normalized(a.payload, ids: [a.eventID]) == Self.normalized(b.payload, ids: [b.eventID]))
        }
        try #require(outbox[0].count == 2 && outbox[1].count == 2)
        for (a, b) in zip(outbox[0], outbox[1]) {
            #expect(a.kind == b.kind && a.userID == b.userID && a.email == b.email)
            #expect(Self.normalized(a.payload, ids: [a.eventID]) == Self.normalized(b.payload, ids: [b.eventID]))
        }
        await sqlite.close()
        await postgres.cleanup()
    }

    /// The payload with its store-made ids (UUIDv7s) and seqs blanked.
    static func normalized(_ payload: String, ids: [String]) -> String {
        var text = payload
        for id in ids { text = text.replacing(id, with: "<event>") }
        let uuid = /[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}/
        text = text.replacing(uuid, with: "<id>")
        return text.replacing(/"(comment_seq|seq)":\d+/) { "\"\($0.1)\":0" }
    }
}
