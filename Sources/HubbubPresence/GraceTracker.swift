/// Users in their grace period: which connection's meta each holds and when the grace ends.
///
/// Deadlines come from one room clock that never goes back plus one constant grace period,
/// so they arrive in order and a FIFO queue keeps them sorted. A cancelled grace leaves its
/// queue item behind as stale; stale items are dropped when they reach the head, so the head
/// is always live and ``nextDeadline`` is O(1).
struct GraceTracker: Sendable {
    struct Grace: Sendable, Hashable {
        let userID: String
        let connID: String
        let deadline: UInt64
        let serial: UInt64
    }

    private var byUser: [String: Grace] = [:]
    private var userByConn: [String: String] = [:]
    private var queue: [Grace] = []
    private var head = 0
    private var nextSerial: UInt64 = 0

    var isEmpty: Bool { byUser.isEmpty }

    /// The earliest deadline of a grace still running.
    var nextDeadline: UInt64? { head < queue.count ? queue[head].deadline : nil }

    /// The grace of `userID`, if they are in one.
    func grace(userID: String) -> Grace? { byUser[userID] }

    /// The user in a grace period who holds the meta of `connID`.
    func user(holding connID: String) -> String? { userByConn[connID] }

    mutating func begin(userID: String, connID: String, deadline: UInt64) {
        precondition(byUser[userID] == nil, "user already in a grace period")
        assert(queue.last.map { $0.deadline <= deadline } ?? true, "grace deadlines out of order")
        let grace = Grace(userID: userID, connID: connID, deadline: deadline, serial: nextSerial)
        nextSerial += 1
        byUser[userID] = grace
        userByConn[connID] = userID
        queue.append(grace)
    }

    /// Ends the grace of `userID` (cancelled by a return, or expired) and returns it.
    @discardableResult
    mutating func end(userID: String) -> Grace? {
        guard let grace = byUser.removeValue(forKey: userID) else { return nil }
        userByConn[grace.connID] = nil
        dropStaleHead()
        return grace
    }

    /// Ends and returns the earliest grace if its deadline is at or before `now`.
    mutating func popExpired(now: UInt64) -> Grace? {
        guard head < queue.count, queue[head].deadline <= now else { return nil }
        return end(userID: queue[head].userID)
    }

    private mutating func dropStaleHead() {
        while head < queue.count, byUser[queue[head].userID]?.serial != queue[head].serial {
            head += 1
        }
        if head == queue.count {
            queue.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64, head * 2 >= queue.count {
            queue.removeFirst(head)
            head = 0
        }
    }
}
