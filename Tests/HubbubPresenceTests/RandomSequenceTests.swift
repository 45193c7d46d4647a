import HubbubPresence
import Testing

/// Random join/leave/update/flush sequences, checked at every flush against views fed the
/// diffs and against a simple model of what should be present.
@Suite struct RandomSequenceTests {
    static let configuration = PresenceConfiguration(
        gracePeriod: 2 * seconds, batchWindow: 50 * ms, largeRoomThreshold: 6, largeRoomExitThreshold: 4,
        maxMetaBytes: 64, updatesPerSecond: 1e6, updateBurst: 1_000_000
    )

    @Test(arguments: [1, 2, 3, 4, 5, 6, 7, 8] as [UInt64])
    func everyViewFollowsTheRoom(seed: UInt64) throws {
        var random = SeededGenerator(seed: seed)
        let configuration = Self.configuration
        var room = PresenceRoom(configuration: configuration)
        var model = ModelRoom(gracePeriod: configuration.gracePeriod)
        var views = [PresenceView(room.snapshot())]
        var now: UInt64 = 0
        var lastDiffAt: UInt64?
        var stats = (diffs: 0, joins: 0, leaves: 0, updates: 0, states: 0, counts: 0, modelChecks: 0)

        func check(_ diff: PresenceDiff, step: Int) throws {
            let before = views[0]
            switch diff {
            case .full(let changes):
                #expect(!changes.isEmpty, "empty diff, seed \(seed) step \(step)")
                let users = changes.joinedIDs + changes.leftIDs + changes.updatedIDs
                #expect(Set(users).count == users.count, "a user twice in a diff, seed \(seed) step \(step)")
                for entry in changes.joins { #expect(before.entries[entry.userID] == nil) }
                for entry in changes.leaves { #expect(before.entries[entry.userID] == entry) }
                for entry in changes.updates {
                    #expect(before.entries[entry.userID] != nil && before.entries[entry.userID] != entry)
                }
                for entry in changes.joins + changes.updates { #expect(!entry.metas.isEmpty) }
                stats.joins += changes.joins.count
                stats.leaves += changes.leaves.count
                stats.updates += changes.updates.count
            case .counts(let counts):
                #expect(before.mode == .counts && before.counts != counts, "seed \(seed) step \(step)")
                stats.counts += 1
            case .state(let snapshot):
                #expect(before.mode != snapshot.mode, "seed \(seed) step \(step)")
                stats.states += 1
            }
            for index in views.indices {
                #expect(views[index].apply(diff) == true, "seed \(seed) step \(step)")
            }
            if let lastDiffAt { #expect(now - lastDiffAt >= configuration.batchWindow) }
            lastDiffAt = now
            stats.diffs += 1
        }

        /// After a flush that published the batch, the room, its views and the model agree.
        func compareWithModel(step: Int) throws {
            model.advance(to: now)
            let expected = model.entries()
            let counts = PresenceCounts(users: expected.count, connections: expected.values.reduce(0) { $0 + $1.metas.count })
            try #require(room.userCount == counts.users && room.connectionCount == counts.connections)
            for userID in model.userIDs { #expect(room.presence(of: userID) == expected[userID]) }
            let view = views[0]
            #expect(view.counts == counts, "seed \(seed) step \(step)")
            #expect(view.mode == room.mode)
            if view.mode == .full {
                try #require(view.entries == expected, "seed \(seed) step \(step)")
            }
            stats.modelChecks += 1
        }

        for step in 0..<6_000 {
            let pause = random.below(10)
            now += pause < 6 ? random.below(20 * ms) : pause < 9 ? random.below(150 * ms) : random.below(3 * seconds)
            let user = "u\(random.below(10))"
            let connID = "\(user)-c\(random.below(2))"
            let state: PresenceValue = random.below(3) == 0 ? [:] : ["card": .number(Double(random.below(4)))]

            // Alternate phases where the room fills up and empties, to cross both thresholds.
            let growing = (step / 250) % 2 == 0
            let joinWeight: UInt64 = growing ? 9 : 2
            switch random.below(20) {
            case 0..<joinWeight:
                let name = random.below(4) == 0 ? "Renamed \(user)" : "User \(user)"
                let joinedAt = Int64(now / ms)
                let result = room.join(userID: user, name: name, connID: connID, state: state, joinedAt: joinedAt, now: now)
                model.join(userID: user, name: name, connID: connID, state: state, joinedAt: joinedAt, now: now)
                guard case .joined(let snapshot) = result else {
                    Issue.record("join refused: \(result)")
                    return
                }
                try #require(PresenceView(snapshot) == PresenceView(room.snapshot()))
                views.append(PresenceView(snapshot))
                if views.count > 6 { views.remove(at: 1) }
            case joinWeight..<13:
                #expect(room.leave(connID: connID, now: now) == model.leave(connID: connID, now: now))
            case 13..<16:
                let expected: UpdateResult = model.isLive(connID) ? .ok : .notFound
                #expect(room.update(connID: connID, state: state, now: now) == expected)
                model.update(connID: connID, state: state, now: now)
            default:
                let deadline = room.nextDeadline
                let diff = room.flush(now: now)
                if deadline.map({ now < $0 }) ?? true { #expect(diff == nil, "flushed early, seed \(seed) step \(step)") }
                #expect(room.nextDeadline.map { $0 > now } ?? true, "deadline left behind, seed \(seed) step \(step)")
                if let diff {
                    try check(diff, step: step)
                    try compareWithModel(step: step)
                }
                for view in views { try #require(view == PresenceView(room.snapshot()), "seed \(seed) step \(step)") }
            }

            if step % 500 == 499 {
                // Quiet time: flush at each deadline until nothing is pending.
                while let deadline = room.nextDeadline {
                    now = max(now, deadline)
                    if let diff = room.flush(now: now) { try check(diff, step: step) }
                }
                try compareWithModel(step: step)
                #expect(model.heldCount == 0)
                for view in views { try #require(view == PresenceView(room.snapshot())) }
            }
        }

        // The sequence exercised what it is meant to.
        #expect(stats.diffs > 100)
        #expect(stats.joins > 50 && stats.leaves > 50 && stats.updates > 50)
        #expect(stats.states >= 10 && stats.counts > 50)
        #expect(stats.modelChecks > 200)
        #expect(model.returnsWithinGrace > 10 && model.resumes > 2)
    }
}
