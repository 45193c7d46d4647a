import HubbubStore
import Logging

extension Hub {
    /// Housekeeping until cancelled: forgets idempotency keys older than the window
    /// (protocol/README.md section 9), every `interval` nanoseconds.
    public func runMaintenance(interval: UInt64 = 600_000_000_000) async {
        while !Task.isCancelled {
            let cutoff = WallClock.nowMillis() - configuration.idempotencyWindowSeconds * 1000
            do {
                try await store.purgeIdempotencyKeys(olderThan: cutoff)
            } catch {
                logger.warning("idempotency purge failed", metadata: ["error": "\(error)"])
            }
            try? await Task.sleep(nanoseconds: interval)
        }
    }
}
