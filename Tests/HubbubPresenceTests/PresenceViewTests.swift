import HubbubPresence
import Testing

@Suite struct PresenceViewTests {
    let alice = PresenceEntry(
        userID: "alice", name: "Alice", metas: [PresenceMeta(connID: "a1", state: [:], joinedAt: 1)]
    )
    let bob = PresenceEntry(
        userID: "bob", name: "Bob",
        metas: [
            PresenceMeta(connID: "b1", state: [:], joinedAt: 2), PresenceMeta(connID: "b2", state: ["x": 1], joinedAt: 3),
        ]
    )

    @Test func appliesJoinsLeavesAndUpdates() {
        var view = PresenceView(.full([alice]))
        #expect(view.counts == PresenceCounts(users: 1, connections: 1))
        #expect(view.apply(.full(PresenceChanges(joins: [bob]))) == true)
        #expect(view.sortedEntries == [alice, bob])
        #expect(view.counts == PresenceCounts(users: 2, connections: 3))

        var bobOneTab = bob
        bobOneTab.metas.removeFirst()
        #expect(view.apply(.full(PresenceChanges(leaves: [alice], updates: [bobOneTab]))) == true)
        #expect(view.sortedEntries == [bobOneTab])
        #expect(view.counts == PresenceCounts(users: 1, connections: 1))
        #expect(view == PresenceView(.full([bobOneTab])))
    }

    @Test func applyingTwiceIsHarmless() {
        var view = PresenceView(.full([alice]))
        let diff = PresenceDiff.full(PresenceChanges(joins: [bob], leaves: [alice]))
        #expect(view.apply(diff) == true)
        let once = view
        #expect(view.apply(diff) == true)
        #expect(view == once)
        #expect(view.counts == PresenceCounts(users: 1, connections: 2))
    }

    @Test func refusesADiffOfTheOtherMode() {
        var full = PresenceView(.full([alice]))
        #expect(full.apply(.counts(PresenceCounts(users: 9, connections: 9))) == false)
        #expect(full == PresenceView(.full([alice])))

        var counts = PresenceView(.counts(PresenceCounts(users: 300, connections: 310)))
        #expect(counts.mode == .counts)
        #expect(counts.entries.isEmpty)
        #expect(counts.apply(.full(PresenceChanges(joins: [bob]))) == false)
        #expect(counts.counts == PresenceCounts(users: 300, connections: 310))
        #expect(counts.apply(.counts(PresenceCounts(users: 301, connections: 311))) == true)
        #expect(counts.counts == PresenceCounts(users: 301, connections: 311))

        #expect(counts.apply(.state(.full([alice, bob]))) == true)
        #expect(counts.mode == .full)
        #expect(counts == PresenceView(.full([bob, alice])))
    }
}
