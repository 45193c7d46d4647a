import HubbubStore
import Testing

/// The e-mail queue's contract (``Store/claimDigests(_:)`` and friends), run against
/// every ``StoreFactory``.
@Suite("Store contract: e-mail queue")
struct StoreOutboxContractTests {
    @Test(arguments: StoreFactory.all)
    func graceWindowAndOneDigestPerRecipient(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).graceWindowAndOneDigestPerRecipient() }
    }

    @Test(arguments: StoreFactory.all)
    func expiredLeaseIsClaimedAgain(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).expiredLeaseIsClaimedAgain() }
    }

    @Test(arguments: StoreFactory.all)
    func retryBacksOffAndHoldsNewerRowsBack(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).retryBacksOffAndHoldsNewerRowsBack() }
    }

    @Test(arguments: StoreFactory.all)
    func deadLetterAndRelease(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).deadLetterAndRelease() }
    }

    @Test(arguments: StoreFactory.all)
    func onlyTheOwnerFinishesALease(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).onlyTheOwnerFinishesALease() }
    }

    @Test(arguments: StoreFactory.all)
    func cancellationTouchesOnlyUnclaimedRows(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).cancellationTouchesOnlyUnclaimedRows() }
    }

    @Test(arguments: StoreFactory.all)
    func digestSizeIsCapped(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).digestSizeIsCapped() }
    }

    @Test(arguments: StoreFactory.all)
    func concurrentClaimsNeverShareARow(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).concurrentClaimsNeverShareARow() }
    }

    @Test(arguments: StoreFactory.all)
    func countsAndPurge(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).countsAndPurge() }
    }

    @Test(arguments: StoreFactory.all)
    func claimArgumentsAreChecked(_ factory: StoreFactory) async throws {
        try await factory.withStore { try await StoreContract(store: $0).claimArgumentsAreChecked() }
    }
}

extension StoreContract {
    static let second: Int64 = 1000
    static let grace: Int64 = 120 * second
    static let lease: Int64 = 60 * second

    func claim(
        _ owner: String, at now: Int64, grace: Int64 = grace, lease: Int64 = lease, max: Int = 10, perDigest: Int = 100
    ) async throws -> [NotificationDigest] {
        try await store.claimDigests(
            DigestClaim(
                owner: owner, now: now, grace: grace, lease: lease, maxDigests: max,
                maxNotificationsPerDigest: perDigest))
    }

    /// Commits a comment on `card` notifying `users` at `time`; returns its event.
    @discardableResult
    func notify(_ users: [String], card: String = "c1", room: String = "apollo", at time: Int64) async throws
        -> StoredEvent
    {
        try await stored(comment(room, card: card, text: "ping \(time)", notify: users, time: time))
    }

    /// Every row of the outbox in id order (pending ones through pendingNotifications are
    /// not enough: this reads states through claims' results and counts).
    func states() async throws -> OutboxCounts {
        var counts = try await store.outboxCounts()
        counts.oldestWaitingCreatedAt = nil
        return counts
    }

    // MARK: Behaviours

    /// A recipient is due once its oldest row is `grace` old; the claim takes all its
    /// rows (newer ones too) as one digest, and a recipient with a live lease is not
    /// claimed again.
    func graceWindowAndOneDigestPerRecipient() async throws {
        try await seedProject()
        try await stored(createCard(id: "c1", title: "Launch checklist"))
        let t = Self.t0
        let first = try await notify(["u_bob"], at: t)
        try await notify(["u_bob"], at: t + 10 * Self.second)
        try await notify(["u_bob", "u_carol"], at: t + 30 * Self.second)

        #expect(try await claim("m1", at: t + Self.grace - 1) == [], "nobody is due inside the grace window")
        let digests = try await claim("m1", at: t + Self.grace)
        try #require(digests.count == 1)
        let bob = digests[0]
        #expect(bob.userID == "u_bob" && bob.email == "bob@example.com")
        #expect(bob.owner == "m1" && bob.leaseUntil == t + Self.grace + Self.lease)
        #expect(bob.notifications.count == 3)
        #expect(bob.ids == bob.ids.sorted())
        #expect(bob.notifications.first?.eventID == first.eventID)
        #expect(bob.notifications.allSatisfy { $0.state == .leased && $0.userID == "u_bob" && $0.attempts == 0 })
        #expect(try await store.pendingNotifications(limit: 10).map(\.userID) == ["u_carol"], "leased rows are not pending")

        // A new row for bob while his digest is in flight waits for the next digest.
        try await notify(["u_bob"], at: t + Self.grace + 1)
        #expect(try await claim("m2", at: t + Self.grace + 1) == [])
        // Carol is due 30 s later; bob still has a live lease.
        let carol = try await claim("m2", at: t + 30 * Self.second + Self.grace)
        #expect(carol.map(\.userID) == ["u_carol"])
        #expect(carol.first?.notifications.count == 1)

        #expect(try await store.completeDigest(bob.ids, owner: "m1", now: t + Self.grace + 5) == 3)
        #expect(try await store.completeDigest(carol.flatMap(\.ids), owner: "m2", now: t + Self.grace + 5) == 1)
        // Bob's newest row is claimable once its own grace has passed.
        #expect(try await claim("m3", at: t + 2 * Self.grace).map(\.userID) == [])
        let later = try await claim("m3", at: t + 2 * Self.grace + 1)
        #expect(later.map(\.userID) == ["u_bob"])
        #expect(later.first?.notifications.count == 1)
        #expect(try await states() == OutboxCounts(leased: 1, sent: 4))
    }

    /// A mailer that dies keeps its lease until `lease_until`; then another mailer claims
    /// the same rows, and the first one can no longer finish them.
    func expiredLeaseIsClaimedAgain() async throws {
        try await seedProject()
        try await stored(createCard(id: "c1"))
        try await notify(["u_bob"], at: Self.t0)
        try await notify(["u_bob"], at: Self.t0 + 1)
        let now = Self.t0 + Self.grace + 1
        let dead = try await claim("dead-mailer", at: now)
        try #require(dead.count == 1)
        #expect(try await claim("other", at: now + Self.lease - 1) == [], "the lease still lives")
        let again = try await claim("other", at: now + Self.lease)
        try #require(again.count == 1)
        #expect(again[0].ids == dead[0].ids)
        #expect(again[0].owner == "other" && again[0].leaseUntil == now + 2 * Self.lease)
        #expect(again[0].notifications.allSatisfy { $0.attempts == 0 }, "a claim is not an attempt")

        #expect(try await store.completeDigest(dead[0].ids, owner: "dead-mailer", now: now + Self.lease) == 0)
        #expect(try await store.completeDigest(again[0].ids, owner: "other", now: now + Self.lease + 1) == 2)
        #expect(try await states() == OutboxCounts(sent: 2))
        // An expired lease that nobody took can still be completed by its owner.
        try await notify(["u_carol"], at: Self.t0)
        let slow = try await claim("slow", at: now)
        #expect(try await store.completeDigest(slow[0].ids, owner: "slow", now: now + 10 * Self.lease) == 1)
        #expect(try await claim("other", at: now + 20 * Self.lease) == [])
    }

    /// A retry puts the rows back with a later `not_before` and one more attempt; until
    /// then the recipient is not due, and rows that arrived meanwhile join the retried
    /// digest.
    func retryBacksOffAndHoldsNewerRowsBack() async throws {
        try await seedProject()
        try await stored(createCard(id: "c1"))
        try await notify(["u_bob"], at: Self.t0)
        let now = Self.t0 + Self.grace
        let first = try await claim("m1", at: now)
        try #require(first.count == 1)
        let retryAt = now + 30 * Self.second
        #expect(
            try await store.retryDigest(first[0].ids, owner: "m1", notBefore: retryAt, error: "451 try later", now: now)
                == 1)
        let pending = try await store.pendingNotifications(limit: 10)
        #expect(pending.map(\.id) == first[0].ids)
        #expect(pending.first?.attempts == 1)
        #expect(pending.first?.notBefore == retryAt)
        #expect(pending.first?.lastError == "451 try later")

        try await notify(["u_bob"], at: now + 1)
        #expect(try await claim("m2", at: retryAt - 1) == [], "backing off")
        let second = try await claim("m2", at: retryAt)
        try #require(second.count == 1)
        #expect(second[0].notifications.count == 2, "the newer row is sent with the retried one")
        #expect(second[0].notifications.map(\.attempts) == [1, 0])
        #expect(second[0].notifications.first?.lastError == "451 try later")
        #expect(try await store.completeDigest(second[0].ids, owner: "m2", now: retryAt) == 2)
        #expect(try await states() == OutboxCounts(sent: 2))
    }

    /// A dead letter is final; a release gives rows back without counting an attempt.
    func deadLetterAndRelease() async throws {
        try await seedProject()
        try await stored(createCard(id: "c1"))
        try await notify(["u_bob"], at: Self.t0)
        try await notify(["u_carol"], at: Self.t0)
        let now = Self.t0 + Self.grace
        let digests = try await claim("m1", at: now)
        #expect(digests.map(\.userID) == ["u_bob", "u_carol"])
        try #require(digests.count == 2)
        #expect(try await store.deadLetter(digests[0].ids, owner: "m1", reason: "550 no such user", now: now) == 1)
        #expect(try await store.releaseDigest(digests[1].ids, owner: "m1", now: now) == 1)

        let pending = try await store.pendingNotifications(limit: 10)
        #expect(pending.map(\.userID) == ["u_carol"])
        #expect(pending.first?.attempts == 0 && pending.first?.notBefore == 0)
        let next = try await claim("m2", at: now + 1)
        #expect(next.map(\.userID) == ["u_carol"], "released rows are claimable at once; dead ones never")
        #expect(try await claim("m3", at: now + 100 * Self.lease).map(\.userID) == ["u_carol"])
        #expect(try await states() == OutboxCounts(leased: 1, dead: 1))
        #expect(try await store.completeDigest(digests[0].ids, owner: "m1", now: now) == 0, "dead is final")
    }

    /// complete / retry / deadLetter / release change only rows leased to the caller.
    func onlyTheOwnerFinishesALease() async throws {
        try await seedProject()
        try await stored(createCard(id: "c1"))
        try await notify(["u_bob"], at: Self.t0)
        let now = Self.t0 + Self.grace
        let digest = try #require(try await claim("m1", at: now).first)
        #expect(try await store.completeDigest(digest.ids, owner: "m2", now: now) == 0)
        #expect(try await store.retryDigest(digest.ids, owner: "m2", notBefore: now, error: "x", now: now) == 0)
        #expect(try await store.deadLetter(digest.ids, owner: "m2", reason: "x", now: now) == 0)
        #expect(try await store.releaseDigest(digest.ids, owner: "m2", now: now) == 0)
        #expect(try await store.completeDigest([], owner: "m1", now: now) == 0)
        #expect(try await store.completeDigest([987_654], owner: "m1", now: now) == 0)
        #expect(try await states() == OutboxCounts(leased: 1))
        #expect(try await store.completeDigest(digest.ids + [987_654], owner: "m1", now: now) == 1)
        #expect(try await store.completeDigest(digest.ids, owner: "m1", now: now) == 0, "already sent")
        #expect(try await states() == OutboxCounts(sent: 1))
    }

    /// The user saw the room up to a seq: their pending rows of that room up to it are
    /// cancelled; leased rows, other rooms, other users and later seqs are not.
    func cancellationTouchesOnlyUnclaimedRows() async throws {
        try await seedProject()
        try await seedProject("zeus", name: "Zeus")
        try await stored(createCard(id: "c1"))
        try await stored(createCard("zeus", id: "c1"))
        let a = try await notify(["u_bob", "u_carol"], at: Self.t0)
        let b = try await notify(["u_bob"], at: Self.t0 + 1)
        try await notify(["u_bob"], room: "zeus", at: Self.t0)
        let c = try await notify(["u_bob"], at: Self.t0 + 2)

        #expect(try await store.cancelNotifications(userID: "u_bob", room: "apollo", upToSeq: b.seq, now: Self.t0) == 2)
        let pending = try await store.pendingNotifications(limit: 10)
        #expect(pending.map { "\($0.userID)@\($0.room)#\($0.seq)" } == [
            "u_carol@apollo#\(a.seq)", "u_bob@zeus#2", "u_bob@apollo#\(c.seq)",
        ])
        #expect(try await store.cancelNotifications(userID: "u_bob", room: "apollo", upToSeq: b.seq, now: Self.t0) == 0)

        // Once claimed, a row is the mailer's: cancellation leaves it.
        let digests = try await claim("m1", at: Self.t0 + Self.grace, max: 10)
        #expect(digests.map(\.userID) == ["u_bob", "u_carol"])
        #expect(try await store.cancelNotifications(userID: "u_bob", room: "apollo", upToSeq: c.seq, now: Self.t0) == 0)
        #expect(try await states() == OutboxCounts(leased: 3, cancelled: 2))
        // Cancelled rows are never claimed.
        for digest in digests { #expect(try await store.completeDigest(digest.ids, owner: "m1", now: Self.t0) > 0) }
        #expect(try await claim("m2", at: Self.t0 + 100 * Self.grace) == [])
    }

    /// A recipient with more rows than `maxNotificationsPerDigest` gets the oldest ones
    /// first, the rest in the next digest.
    func digestSizeIsCapped() async throws {
        try await seedProject()
        try await stored(createCard(id: "c1"))
        for i in 0..<5 { try await notify(["u_bob"], at: Self.t0 + Int64(i)) }
        let now = Self.t0 + Self.grace + 10
        let first = try #require(try await claim("m1", at: now, perDigest: 2).first)
        #expect(first.notifications.count == 2)
        #expect(try await claim("m2", at: now, perDigest: 2) == [], "the rest waits for the live lease")
        #expect(try await store.completeDigest(first.ids, owner: "m1", now: now) == 2)
        let second = try #require(try await claim("m2", at: now, perDigest: 2).first)
        #expect(second.notifications.count == 2)
        #expect(second.ids.min()! > first.ids.max()!)
        #expect(try await store.completeDigest(second.ids, owner: "m2", now: now) == 2)
        #expect(try await claim("m1", at: now, perDigest: 2).first?.notifications.count == 1)
    }

    /// Many mailers claiming at once: every row goes to exactly one of them.
    func concurrentClaimsNeverShareARow() async throws {
        try await seedProject()
        try await stored(createCard(id: "c1"))
        let users = (0..<24).map { "u_m\($0)" }
        for user in users {
            try await store.upsertMember(
                Member(projectID: "apollo", userID: user, displayName: user, email: "\(user)@example.com", username: user))
        }
        for (i, user) in users.enumerated() {
            try await notify([user, users[(i + 1) % users.count]], at: Self.t0 + Int64(i))
        }
        let now = Self.t0 + Self.grace + 100
        let store = self.store
        let claimed = try await withThrowingTaskGroup(of: [NotificationDigest].self) { group in
            for owner in 0..<12 {
                group.addTask {
                    var mine: [NotificationDigest] = []
                    for _ in 0..<4 {
                        mine += try await store.claimDigests(
                            DigestClaim(owner: "m\(owner)", now: now, grace: Self.grace, lease: Self.lease, maxDigests: 1))
                    }
                    return mine
                }
            }
            var all: [NotificationDigest] = []
            for try await digests in group { all += digests }
            return all
        }
        let ids = claimed.flatMap(\.ids)
        #expect(ids.count == 48)
        #expect(Set(ids).count == ids.count, "no row was claimed twice")
        #expect(Set(claimed.map(\.userID)).count == claimed.count, "one digest per recipient")
        #expect(try await states() == OutboxCounts(leased: 48))
    }

    /// Counts per state, the oldest waiting row, and the purge of finished rows.
    func countsAndPurge() async throws {
        try await seedProject()
        try await stored(createCard(id: "c1"))
        #expect(try await store.outboxCounts() == OutboxCounts())
        try await notify(["u_bob"], at: Self.t0)
        try await notify(["u_carol"], at: Self.t0 + 5)
        try await notify(["u_alice"], at: Self.t0 + 6)
        let b = try await notify(["u_bob"], room: "apollo", at: Self.t0 + 7)
        try await notify(["u_carol"], at: Self.t0 + Self.grace)
        #expect(try await store.cancelNotifications(userID: "u_bob", room: "apollo", upToSeq: b.seq, now: 50) == 2)
        let digests = try await claim("m1", at: Self.t0 + Self.grace + 6, max: 2)
        #expect(digests.map(\.userID) == ["u_carol", "u_alice"])
        #expect(try await store.deadLetter(digests[1].ids, owner: "m1", reason: "550", now: 60) == 1)
        let counts = try await store.outboxCounts()
        #expect(counts == OutboxCounts(leased: 2, dead: 1, cancelled: 2, oldestWaitingCreatedAt: Self.t0 + 5))
        #expect(counts.depth == 2)

        #expect(try await store.purgeNotifications(finishedBefore: 55) == 2, "the cancelled rows (updated at 50)")
        #expect(try await store.purgeNotifications(finishedBefore: Self.t0 * 2) == 1, "the dead one")
        #expect(try await store.outboxCounts() == OutboxCounts(leased: 2, oldestWaitingCreatedAt: Self.t0 + 5))
    }

    func claimArgumentsAreChecked() async throws {
        for bad in [
            DigestClaim(owner: "", now: 0, grace: 0, lease: 1, maxDigests: 1),
            DigestClaim(owner: "m", now: 0, grace: -1, lease: 1, maxDigests: 1),
            DigestClaim(owner: "m", now: 0, grace: 0, lease: 0, maxDigests: 1),
            DigestClaim(owner: "m", now: 0, grace: 0, lease: 1, maxDigests: -1),
            DigestClaim(owner: "m", now: 0, grace: 0, lease: 1, maxDigests: 1, maxNotificationsPerDigest: 0),
        ] {
            let error = await storeError { () throws(StoreError) in _ = try await store.claimDigests(bad) }
            #expect(error?.code == .invalidArgument, "\(bad)")
        }
        #expect(try await claim("m", at: Self.t0, max: 0) == [])
        let error = await storeError { () throws(StoreError) in try await store.markNotifications([1], state: .leased) }
        #expect(error?.code == .invalidArgument)
    }
}
