import HubbubPresence

/// What should be present, written as directly as possible: live connections in join
/// order, plus for a user without any the meta of their last one until the grace ends.
struct ModelRoom {
    let gracePeriod: UInt64
    private var now: UInt64 = 0
    private var live: [String: (userID: String, meta: PresenceMeta)] = [:]
    private var order: [String: [String]] = [:]
    private var names: [String: String] = [:]
    private var held: [String: (meta: PresenceMeta, until: UInt64)] = [:]
    private(set) var returnsWithinGrace = 0
    private(set) var resumes = 0

    init(gracePeriod: UInt64) { self.gracePeriod = gracePeriod }

    var userIDs: [String] { Array(names.keys) }
    var heldCount: Int { held.count }
    func isLive(_ connID: String) -> Bool { live[connID] != nil }

    mutating func advance(to time: UInt64) {
        now = max(now, time)
        held = held.filter { $0.value.until > now }
    }

    /// Connection ids are never shared between users in these sequences.
    mutating func join(userID: String, name: String, connID: String, state: PresenceValue, joinedAt: Int64, now time: UInt64) {
        advance(to: time)
        names[userID] = name
        if live[connID] != nil {
            live[connID]?.meta.state = state
            return
        }
        var joinedAt = joinedAt
        if let grace = held.removeValue(forKey: userID) {
            returnsWithinGrace += 1
            if grace.meta.connID == connID {
                joinedAt = grace.meta.joinedAt
                resumes += 1
            }
        }
        live[connID] = (userID, PresenceMeta(connID: connID, state: state, joinedAt: joinedAt))
        order[userID, default: []].append(connID)
    }

    mutating func leave(connID: String, now time: UInt64) -> Bool {
        advance(to: time)
        guard let (userID, meta) = live.removeValue(forKey: connID) else { return false }
        order[userID]?.removeAll { $0 == connID }
        if order[userID]?.isEmpty ?? true {
            order[userID] = nil
            if gracePeriod > 0 { held[userID] = (meta, now + gracePeriod) }
        }
        return true
    }

    mutating func update(connID: String, state: PresenceValue, now time: UInt64) {
        advance(to: time)
        live[connID]?.meta.state = state
    }

    func entries() -> [String: PresenceEntry] {
        var entries: [String: PresenceEntry] = [:]
        for (userID, connIDs) in order {
            let metas = connIDs.compactMap { live[$0]?.meta }
            entries[userID] = PresenceEntry(userID: userID, name: names[userID] ?? "", metas: metas)
        }
        for (userID, grace) in held {
            entries[userID] = PresenceEntry(userID: userID, name: names[userID] ?? "", metas: [grace.meta])
        }
        return entries
    }
}
