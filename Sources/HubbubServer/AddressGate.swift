import Synchronization

/// Connections per client address, capped (`ServerConfiguration.maxConnectionsPerAddress`):
/// one address cannot take the whole connection budget. A limit of 0 counts nothing.
final class AddressGate: Sendable {
    let limit: Int
    private let counts = Mutex<[String: Int]>([:])

    init(limit: Int) {
        self.limit = limit
    }

    /// Takes a slot for `address`; false when it already holds `limit`.
    func tryAcquire(_ address: String) -> Bool {
        guard limit > 0 else { return true }
        return counts.withLock { counts in
            let held = counts[address, default: 0]
            guard held < limit else { return false }
            counts[address] = held + 1
            return true
        }
    }

    func release(_ address: String) {
        guard limit > 0 else { return }
        counts.withLock { counts in
            guard let held = counts[address] else { return }
            counts[address] = held > 1 ? held - 1 : nil
        }
    }

    /// Connections held by `address` now (tests).
    func current(_ address: String) -> Int {
        counts.withLock { $0[address, default: 0] }
    }
}
