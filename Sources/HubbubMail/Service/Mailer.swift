import HubbubStore
import Logging

/// The e-mail queue's sender, a long-running service: ``run()`` claims due digests
/// from the store, composes one e-mail per digest, hands it to the transport and
/// records the result (sent, retry with backoff, dead letter), until its task is
/// cancelled. Several mailers (threads, processes, hosts) can run against one database:
/// the store's leases make each digest go out once (docs/email.md).
///
/// Graceful shutdown: cancel the task running ``run()``. A digest being delivered is
/// finished and recorded (deliveries are not interrupted); the digests of the same
/// claim not started yet are released (back to pending, no attempt counted); then
/// ``run()`` returns. The caller shuts the transport down after that.
///
/// Logs carry user ids, row counts, Message-IDs and error reasons: never a message's
/// content, an address or a secret.
public final class Mailer: Sendable {
    public let configuration: MailerConfiguration
    private let store: any Store
    private let transport: any MailTransport
    private let composer: DigestComposer
    private let logger: Logger
    private let clock: @Sendable () -> Int64
    private let counters = MailerCounters()
    /// Told of every digest's outcome ("sent", "retried", "dead"): how the hub's metrics
    /// count e-mails without the mailer depending on them.
    private let observe: @Sendable (String) -> Void

    /// `clock`: unix milliseconds now (the wall clock by default; the outbox's times are
    /// wall-clock times too).
    public init(
        store: any Store, transport: any MailTransport, composer: DigestComposer, configuration: MailerConfiguration,
        logger: Logger, clock: @escaping @Sendable () -> Int64 = { WallClock.nowMillis() },
        observe: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.observe = observe
        self.store = store
        self.transport = transport
        self.composer = composer
        self.configuration = configuration
        self.logger = logger
        self.clock = clock
    }

    /// The counters and the last queue count.
    public var metrics: MailerMetrics { counters.snapshot }

    /// Runs until the task is cancelled (see the type's documentation for shutdown).
    public func run() async {
        logger.info(
            "mailer started",
            metadata: [
                "owner": "\(configuration.owner)", "transport": "\(transport.name)",
                "grace_ms": "\(configuration.grace)", "lease_ms": "\(configuration.lease)",
            ])
        var nextCount: Int64 = 0
        var nextPurge: Int64 = 0
        while !Task.isCancelled {
            let claimed = await claimAndSend()
            let now = clock()
            if now >= nextCount {
                await count(now: now)
                nextCount = now + configuration.countInterval
            }
            if configuration.retention > 0 && now >= nextPurge {
                await purge(now: now)
                nextPurge = now + 3_600_000
            }
            if claimed < configuration.batchSize {
                do {
                    try await Task.sleep(for: .milliseconds(configuration.pollInterval))
                } catch {
                    break
                }
            }
        }
        logger.info("mailer stopped", metadata: ["owner": "\(configuration.owner)"])
    }

    /// One claim and its digests, one after the other; returns how many were claimed.
    /// Public for tests and for callers that drive the mailer themselves.
    @discardableResult
    public func claimAndSend() async -> Int {
        let claim = DigestClaim(
            owner: configuration.owner, now: clock(), grace: configuration.grace, lease: configuration.lease,
            maxDigests: configuration.batchSize, maxNotificationsPerDigest: configuration.maxNotificationsPerDigest)
        let digests: [NotificationDigest]
        do throws(StoreError) {
            digests = try await store.claimDigests(claim)
        } catch {
            counters.update { $0.storeErrors += 1 }
            logger.warning("claiming digests failed", metadata: ["error": "\(error)"])
            return 0
        }
        for (index, digest) in digests.enumerated() {
            if Task.isCancelled {
                await release(digests[index...])
                break
            }
            await send(digest)
        }
        return digests.count
    }

    // MARK: One digest

    private func send(_ digest: NotificationDigest) async {
        let start = clock()
        var outcome: Result<Void, MailDeliveryError>
        var messageID = "-"
        do throws(MailDeliveryError) {
            let message = try composer.compose(digest, now: start)
            messageID = message.messageID
            let budget = min(configuration.deliveryTimeout, digest.leaseUntil - start - configuration.lease / 10)
            try await transport.deliver(message, until: .after(milliseconds: budget))
            outcome = .success(())
        } catch {
            outcome = .failure(error)
        }
        let now = clock()
        let plan = DeliveryPlan.make(
            for: digest, outcome: outcome, policy: configuration.retry, now: now, jitter: Double.random(in: 0..<1))
        var metadata: Logger.Metadata = [
            "user_id": "\(digest.userID)", "notifications": "\(digest.notifications.count)",
            "message_id": "\(messageID)", "attempt": "\((digest.notifications.map(\.attempts).max() ?? 0) + 1)",
            "ms": "\(now - start)",
        ]
        if case .failure(let error) = outcome { metadata["error"] = "\(error)" }

        var changed = 0
        if !plan.complete.isEmpty {
            changed += await record("complete") { () throws(StoreError) in
                try await self.store.completeDigest(plan.complete, owner: digest.owner, now: now)
            }
            counters.update {
                $0.digestsSent += 1
                $0.notificationsSent += plan.complete.count
            }
            observe("sent")
            logger.info("digest sent", metadata: metadata)
        }
        if !plan.retry.isEmpty {
            changed += await record("retry") { () throws(StoreError) in
                try await self.store.retryDigest(
                    plan.retry, owner: digest.owner, notBefore: plan.retryAt, error: plan.retryReason, now: now)
            }
            counters.update { $0.digestsRetried += 1 }
            observe("retried")
            metadata["retry_in_ms"] = "\(plan.retryAt - now)"
            logger.warning("digest not sent, will retry", metadata: metadata)
        }
        if !plan.deadLetter.isEmpty {
            changed += await record("dead letter") { () throws(StoreError) in
                try await self.store.deadLetter(plan.deadLetter, owner: digest.owner, reason: plan.deadReason, now: now)
            }
            counters.update {
                $0.digestsDeadLettered += 1
                $0.notificationsDeadLettered += plan.deadLetter.count
            }
            observe("dead")
            metadata["dead"] = "\(plan.deadLetter.count)"
            logger.error("digest dead-lettered", metadata: metadata)
        }
        if changed < digest.notifications.count {
            counters.update { $0.leasesLost += 1 }
            logger.warning(
                "lease lost: another mailer claimed rows of this digest",
                metadata: ["user_id": "\(digest.userID)", "recorded": "\(changed)", "claimed": "\(digest.notifications.count)"])
        }
    }

    /// Runs a result-recording store call, retrying a failing store a few times (the
    /// e-mail is out: losing its result would send it again after the lease).
    private func record(_ what: String, _ call: @Sendable () async throws(StoreError) -> Int) async -> Int {
        var delay: UInt64 = 100
        for attempt in 1...5 {
            do throws(StoreError) {
                return try await call()
            } catch {
                counters.update { $0.storeErrors += 1 }
                logger.warning(
                    "recording a digest result failed", metadata: ["what": "\(what)", "attempt": "\(attempt)", "error": "\(error)"])
                guard attempt < 5 else { break }
                // Not cancellable: the result must be written even during shutdown.
                await Self.pause(milliseconds: delay)
                delay *= 2
            }
        }
        return 0
    }

    private func release(_ digests: ArraySlice<NotificationDigest>) async {
        for digest in digests {
            do throws(StoreError) {
                _ = try await store.releaseDigest(digest.ids, owner: digest.owner, now: clock())
                counters.update { $0.digestsReleased += 1 }
            } catch {
                counters.update { $0.storeErrors += 1 }
                logger.warning(
                    "releasing a digest failed (its lease will expire)",
                    metadata: ["user_id": "\(digest.userID)", "error": "\(error)"])
            }
        }
    }

    // MARK: Housekeeping

    private func count(now: Int64) async {
        do throws(StoreError) {
            let counts = try await store.outboxCounts()
            counters.update {
                $0.queueDepth = counts.depth
                $0.pending = counts.pending
                $0.leased = counts.leased
                $0.deadTotal = counts.dead
                $0.oldestWaitingAgeMilliseconds = counts.oldestWaitingCreatedAt.map { max(now - $0, 0) } ?? 0
            }
        } catch {
            counters.update { $0.storeErrors += 1 }
            logger.warning("counting the outbox failed", metadata: ["error": "\(error)"])
        }
    }

    private func purge(now: Int64) async {
        do throws(StoreError) {
            let deleted = try await store.purgeNotifications(finishedBefore: now - configuration.retention)
            if deleted > 0 { logger.info("purged finished outbox rows", metadata: ["rows": "\(deleted)"]) }
        } catch {
            counters.update { $0.storeErrors += 1 }
            logger.warning("purging the outbox failed", metadata: ["error": "\(error)"])
        }
    }

    /// Sleeps without reacting to cancellation.
    private static func pause(milliseconds: UInt64) async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            Task.detached {
                try? await Task.sleep(for: .milliseconds(milliseconds))
                continuation.resume()
            }
        }
    }
}
