import HubbubStore
import Testing

extension StoreContract {
    /// Every stored event takes the room's next seq, from 1; the payload is the
    /// protocol's, encoded once.
    func commentsGetConsecutiveSeqs() async throws {
        try await seedProject()
        let card = try await stored(createCard(id: "card_12", title: "Launch checklist"))
        #expect(card.seq == 1)
        #expect(card.type == "card.created")

        let texts = ["first", "second \"quoted\" \\ line\nbreak\ttab \u{1} é 🚀", "third @bob @carol.chen"]
        var events: [StoredEvent] = []
        for (index, text) in texts.enumerated() {
            let mentions = index == 2 ? ["u_bob", "u_nobody", "u_carol", "u_bob"] : []
            events.append(
                try await stored(
                    comment(card: "card_12", text: text, mentions: mentions, time: Self.t0 + Int64(index))))
        }
        #expect(events.map(\.seq) == [2, 3, 4])
        #expect(events.allSatisfy { $0.type == "comment.created" && $0.room == "apollo" && $0.actor == Self.alice })
        #expect(events.map(\.time) == [Self.t0, Self.t0 + 1, Self.t0 + 2])
        #expect(Set(events.map(\.eventID)).count == 3)
        for event in events { #expect(Self.isUUIDv7(event.eventID), "\(event.eventID)") }

        let second = try JSON.object(events[1].payload)
        #expect(second.string("text") == texts[1])
        #expect(second.string("card_id") == "card_12")
        #expect(second.array("mentions")?.isEmpty == true)
        let third = try JSON.object(events[2].payload)
        let mentions = try #require(third.array("mentions"))
        #expect(mentions.map { $0.string("user_id") } == ["u_bob", "u_carol"], "members only, each once, in order")
        #expect(mentions.map { $0.string("username") } == ["bob", "carol.chen"])
        let commentIDs = try events.map { try #require(try JSON.object($0.payload).string("comment_id")) }
        #expect(Set(commentIDs).count == 3)

        #expect(try await store.headSeq(room: "apollo") == 4)
        #expect(try await store.events(room: "apollo", afterSeq: 0, limit: 100) == [card] + events)
        #expect(try await store.events(room: "apollo", afterSeq: 1, limit: 100) == events)
    }

    /// A comment must name a card of the room's project in an existing project.
    func commentReferentialIntegrity() async throws {
        try await seedProject()
        try await seedProject("other")
        try await stored(createCard("other", id: "elsewhere"))
        #expect(try await commitOne(comment(card: "nope")) == .notFound(.card("nope")))
        #expect(try await commitOne(comment(card: "elsewhere")) == .notFound(.card("elsewhere")))
        #expect(try await commitOne(comment("ghost", card: "c")) == .notFound(.project("ghost")))
        #expect(try await commitOne(custom("ghost")) == .notFound(.project("ghost")))
        #expect(try await store.headSeq(room: "apollo") == 0)
        #expect(try await store.headSeq(room: "ghost") == 0)
        #expect(try await store.events(room: "apollo", afterSeq: 0, limit: 10) == [])
    }

    /// 8 tasks commit 50 commands each into one room at once: the seqs are exactly
    /// 1...400, each event is there once, and a batch's events are consecutive.
    func gaplessSeqsUnderConcurrency() async throws {
        try await seedProject()
        let tasks = 8
        let perTask = 50
        let results = try await withThrowingTaskGroup(of: [[StoredEvent]].self) { group in
            for task in 0..<tasks {
                group.addTask {
                    var batches: [[StoredEvent]] = []
                    var sent = 0
                    while sent < perTask {
                        // Odd tasks send single commands, even ones batches of 1...4.
                        let size = task % 2 == 1 ? 1 : min(sent % 4 + 1, perTask - sent)
                        let batch = (sent..<sent + size).map { n in
                            custom(correlation: "t\(task)-n\(n)", time: Self.t0 + Int64(n))
                        }
                        let outcomes = try await store.commit(batch)
                        batches.append(try outcomes.map { try Self.event(of: $0) })
                        sent += size
                    }
                    return batches
                }
            }
            var all: [[StoredEvent]] = []
            for try await batches in group { all += batches }
            return all
        }
        let seqs = results.flatMap { $0.map(\.seq) }.sorted()
        #expect(seqs == Array(1...Int64(tasks * perTask)))
        for batch in results where batch.count > 1 {
            #expect(batch.map(\.seq) == Array(batch[0].seq..<batch[0].seq + Int64(batch.count)))
        }
        let stored = try await store.events(room: "apollo", afterSeq: 0, limit: 1000)
        #expect(stored.map(\.seq) == Array(1...Int64(tasks * perTask)))
        #expect(Set(stored.map(\.correlationID)).count == tasks * perTask)
        #expect(stored == results.flatMap { $0 }.sorted { $0.seq < $1.seq })
        #expect(try await store.headSeq(room: "apollo") == Int64(tasks * perTask))
    }

    /// Each room has its own sequence, also inside one batch.
    func seqsAreIndependentPerRoom() async throws {
        for room in ["r1", "r2", "r3"] { try await seedProject(room) }
        var expected: [String: [Int64]] = ["r1": [], "r2": [], "r3": []]
        let plan = [["r1", "r2", "r1"], ["r3"], ["r2", "r2", "r3", "r1"], ["r1"]]
        for rooms in plan {
            let outcomes = try await store.commit(rooms.map { custom($0) })
            for (room, outcome) in zip(rooms, outcomes) {
                let event = try Self.event(of: outcome)
                #expect(event.room == room)
                expected[room, default: []].append(event.seq)
            }
        }
        #expect(expected == ["r1": [1, 2, 3, 4], "r2": [1, 2, 3], "r3": [1, 2]])
        for (room, seqs) in expected {
            #expect(try await store.headSeq(room: room) == seqs.last)
            #expect(try await store.events(room: room, afterSeq: 0, limit: 10).map(\.seq) == seqs)
        }
    }

    /// `events(afterSeq:limit:)` pages through a room in ascending seq order.
    func eventsPaging() async throws {
        try await seedProject()
        try await seedProject("quiet")
        var all: [StoredEvent] = []
        for n in 0..<25 {
            all.append(try await stored(custom(payload: #"{"n":\#(n)}"#, correlation: "c\(n)")))
        }
        var pages: [[Int64]] = []
        var after: Int64 = 0
        while true {
            let page = try await store.events(room: "apollo", afterSeq: after, limit: 10)
            guard let last = page.last else { break }
            pages.append(page.map(\.seq))
            after = last.seq
        }
        #expect(pages == [Array(1...10), Array(11...20), Array(21...25)])
        #expect(try await store.events(room: "apollo", afterSeq: 0, limit: 25) == all)
        #expect(try await store.events(room: "apollo", afterSeq: 7, limit: 2) == Array(all[7..<9]))
        #expect(try await store.events(room: "apollo", afterSeq: 25, limit: 10) == [])
        #expect(try await store.events(room: "apollo", afterSeq: 3, limit: 0) == [])
        #expect(try await store.events(room: "quiet", afterSeq: 0, limit: 10) == [])
        #expect(try await store.events(room: "unknown", afterSeq: 0, limit: 10) == [])
        let negative = await storeError { () throws(StoreError) in
            _ = try await store.events(room: "apollo", afterSeq: 0, limit: -1)
        }
        #expect(negative?.code == .invalidArgument)
    }

    /// Pruning keeps the newest n events; the head never goes back and new events
    /// continue after it; `oldestRetainedSeq` is `head + 1` when nothing is kept.
    func pruningAndOldestRetainedSeq() async throws {
        try await seedProject()
        try await seedProject("other")
        #expect(try await store.headSeq(room: "apollo") == 0)
        #expect(try await store.oldestRetainedSeq(room: "apollo") == 1)
        #expect(try await store.oldestRetainedSeq(room: "never-created") == 1)
        for n in 0..<20 { try await stored(custom(correlation: "c\(n)")) }
        for n in 0..<3 { try await stored(custom("other", correlation: "o\(n)")) }
        #expect(try await store.oldestRetainedSeq(room: "apollo") == 1)

        try await store.pruneEvents(room: "apollo", keepingLast: 100)
        #expect(try await store.oldestRetainedSeq(room: "apollo") == 1)
        try await store.pruneEvents(room: "apollo", keepingLast: 5)
        #expect(try await store.oldestRetainedSeq(room: "apollo") == 16)
        #expect(try await store.headSeq(room: "apollo") == 20)
        #expect(try await store.events(room: "apollo", afterSeq: 0, limit: 100).map(\.seq) == Array(16...20))
        #expect(try await store.events(room: "other", afterSeq: 0, limit: 100).map(\.seq) == [1, 2, 3])

        #expect(try await stored(custom(correlation: "after")).seq == 21)
        try await store.pruneEvents(room: "apollo", keepingLast: 0)
        #expect(try await store.headSeq(room: "apollo") == 21)
        #expect(try await store.oldestRetainedSeq(room: "apollo") == 22)
        #expect(try await store.events(room: "apollo", afterSeq: 0, limit: 100) == [])
        #expect(try await stored(custom(correlation: "again")).seq == 22)
        #expect(try await store.oldestRetainedSeq(room: "apollo") == 22)

        let negative = await storeError { () throws(StoreError) in
            try await store.pruneEvents(room: "apollo", keepingLast: -1)
        }
        #expect(negative?.code == .invalidArgument)
    }

    /// Service-published events keep their type, actor and payload as given; a payload
    /// that is not a JSON object is rejected.
    func customEvents() async throws {
        try await seedProject()
        let payload = #"{"build":42,"status":"green","tags":["a","b"],"nested":{"x":null}}"#
        let event = try await stored(
            custom(type: "custom.ci.build", payload: payload, correlation: "req-77", time: Self.t0 + 5))
        #expect(event.type == "custom.ci.build")
        #expect(event.actor == .service("ci"))
        #expect(event.correlationID == "req-77")
        #expect(event.time == Self.t0 + 5)
        #expect(event.payload == payload)
        #expect(try await store.events(room: "apollo", afterSeq: 0, limit: 1) == [event])

        for bad in ["not json", "[1,2]", "\"str\"", "{\"open\":", ""] {
            let outcome = try await commitOne(custom(payload: bad))
            guard case .rejected(let error) = outcome else {
                Issue.record("payload \(bad): expected .rejected, got \(outcome)")
                continue
            }
            #expect(error.code == .invalidArgument)
        }
        #expect(try await store.headSeq(room: "apollo") == 1)
    }

    static func isUUIDv7(_ id: String) -> Bool {
        let parts = id.split(separator: "-", omittingEmptySubsequences: false)
        return parts.map(\.count) == [8, 4, 4, 4, 12]
            && id.allSatisfy { "0123456789abcdef-".contains($0) }
            && parts[2].first == "7"
            && "89ab".contains(parts[3].first ?? "x")
    }
}
