import Synchronization

/// The process-wide connection count, shared by every loop, that enforces
/// `maxConnections`.
final class ConnectionGate: Sendable {
    let limit: Int
    private let count = Atomic<Int>(0)

    init(limit: Int) {
        self.limit = limit
    }

    var current: Int { count.load(ordering: .relaxed) }

    /// Takes a place; false when the limit is reached.
    func tryAcquire() -> Bool {
        var value = count.load(ordering: .relaxed)
        while value < limit {
            let (exchanged, original) = count.compareExchange(
                expected: value, desired: value + 1, ordering: .relaxed)
            if exchanged { return true }
            value = original
        }
        return false
    }

    func release() {
        count.subtract(1, ordering: .relaxed)
    }
}
