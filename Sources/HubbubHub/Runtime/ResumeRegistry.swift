import Logging
import Synchronization

/// Connections that ended recently, so a reconnect with `?resume=<conn_id>` can take its
/// predecessor's `conn_id` (protocol/README.md section 7.4): honoured for the same user
/// within the presence grace period, once.
final class ResumeRegistry: Sendable {
    private struct Ended {
        var userID: String
        var endedAt: UInt64
    }

    private let ended = Mutex<[String: Ended]>([:])
    private let window: UInt64

    init(window: UInt64) {
        self.window = window
    }

    func connectionEnded(connID: String, userID: String, now: UInt64) {
        ended.withLock { table in
            table[connID] = Ended(userID: userID, endedAt: now)
            // Bounded: expired entries go whenever the table grows past a power of two.
            if table.count > 1024, table.count.nonzeroBitCount == 1 {
                table = table.filter { now &- $0.value.endedAt < window }
            }
        }
    }

    /// Takes `connID` for `userID` if it ended less than the window ago.
    func claim(connID: String, userID: String, now: UInt64) -> Bool {
        ended.withLock { table in
            guard let entry = table[connID], entry.userID == userID, now &- entry.endedAt < window else { return false }
            table[connID] = nil
            return true
        }
    }
}
