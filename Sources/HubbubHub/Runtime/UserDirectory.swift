import Logging
import Synchronization

/// Which live sessions each user holds, across every loop: who gets a `mention`, who is
/// online for the offline e-mail queue, and the per-user connection limit.
final class UserDirectory: Sendable {
    private let table = Mutex<[String: [SessionRef]]>([:])

    /// Adds a session of `userID` unless the user already holds `limit`; nil then, else
    /// whether it is the user's first session on this node.
    func add(_ ref: SessionRef, userID: String, limit: Int) -> Bool? {
        table.withLock { table in
            var refs = table[userID, default: []]
            guard refs.count < limit else { return nil }
            refs.append(ref)
            table[userID] = refs
            return refs.count == 1
        }
    }

    /// Removes a session; returns whether it was the user's last on this node.
    @discardableResult
    func remove(_ ref: SessionRef, userID: String) -> Bool {
        table.withLock { table in
            guard var refs = table[userID] else { return false }
            refs.removeAll { $0 == ref }
            table[userID] = refs.isEmpty ? nil : refs
            return refs.isEmpty
        }
    }

    /// Every user with a session on this node.
    var userIDs: [String] {
        table.withLock { Array($0.keys) }
    }

    func sessions(of userID: String) -> [SessionRef] {
        table.withLock { $0[userID] ?? [] }
    }

    func count(of userID: String) -> Int {
        table.withLock { $0[userID]?.count ?? 0 }
    }

    func isOnline(_ userID: String) -> Bool {
        table.withLock { $0[userID] != nil }
    }
}
