import Logging
import HubbubIO
import HubbubStore
import Logging

/// Group commit across rooms: every room hands its batch here, and whatever batches
/// arrive while a transaction is in flight go into the next one, so many clients in many
/// rooms share one store transaction (one fsync) instead of one each.
///
/// Order: batches are committed in arrival order, and a room sends its next batch only
/// after the previous one returned, so each room's seqs follow its submission order.
actor GroupCommitter {
    private struct Waiter {
        var commands: [Command]
        var continuation: CheckedContinuation<Result<[CommandOutcome], StoreError>, Never>
    }

    private let store: any Store
    private let maxBatch: Int
    private let logger: Logger
    private var waiting: [Waiter] = []
    private var draining = false

    init(store: any Store, maxBatch: Int, logger: Logger) {
        self.store = store
        self.logger = logger
        self.maxBatch = max(1, maxBatch)
    }

    func commit(_ commands: [Command]) async -> Result<[CommandOutcome], StoreError> {
        await withCheckedContinuation { continuation in
            waiting.append(Waiter(commands: commands, continuation: continuation))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !waiting.isEmpty {
            // Take whole batches while they fit (always at least one).
            var taken: [Waiter] = []
            var count = 0
            while let next = waiting.first, taken.isEmpty || count + next.commands.count <= maxBatch {
                taken.append(waiting.removeFirst())
                count += next.commands.count
            }
            let result: Result<[CommandOutcome], StoreError>
            let started = MonotonicClock.now()
            do {
                result = .success(try await store.commit(taken.flatMap(\.commands)))
            } catch {
                result = .failure(error)
            }
            logger.debug("group commit", metadata: [
                "commands": "\(count)", "batches": "\(taken.count)",
                "microseconds": "\((MonotonicClock.now() - started) / 1000)", "waiting": "\(waiting.count)",
            ])
            switch result {
            case .success(let outcomes):
                var offset = 0
                for waiter in taken {
                    let slice = Array(outcomes[offset..<offset + waiter.commands.count])
                    offset += waiter.commands.count
                    waiter.continuation.resume(returning: .success(slice))
                }
            case .failure(let error):
                for waiter in taken { waiter.continuation.resume(returning: .failure(error)) }
            }
        }
        draining = false
    }
}
