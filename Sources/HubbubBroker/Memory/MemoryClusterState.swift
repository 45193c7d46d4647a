/// The cluster-wide state of a ``MemoryBackplane``: node deadlines, online counts and
/// presence entries. Pure state; `now` is passed in.
struct MemoryClusterState {
    /// Node → when its heartbeat expires.
    private var deadlines: [String: Duration] = [:]
    /// User → node → connection count (only counts above zero are kept).
    private var online: [String: [String: Int]] = [:]
    /// Room → node → connID → value.
    private var presence: [String: [String: [String: [UInt8]]]] = [:]

    mutating func heartbeat(_ node: String, until deadline: Duration) {
        deadlines[node] = deadline
    }

    func isLive(_ node: String, now: Duration) -> Bool {
        guard let deadline = deadlines[node] else { return false }
        return deadline > now
    }

    func liveNodes(now: Duration) -> Set<String> {
        Set(deadlines.filter { $0.value > now }.keys)
    }

    mutating func reap(now: Duration) -> [String] {
        let dead = deadlines.filter { $0.value <= now }.keys.sorted()
        for node in dead { remove(node) }
        return dead
    }

    mutating func remove(_ node: String) {
        deadlines[node] = nil
        for user in Array(online.keys) {
            online[user]?[node] = nil
            if online[user]?.isEmpty == true { online[user] = nil }
        }
        for room in Array(presence.keys) {
            presence[room]?[node] = nil
            if presence[room]?.isEmpty == true { presence[room] = nil }
        }
    }

    mutating func userOnline(_ user: String, node: String) {
        online[user, default: [:]][node, default: 0] += 1
    }

    mutating func userOffline(_ user: String, node: String) {
        guard let count = online[user]?[node] else { return }
        online[user]?[node] = count > 1 ? count - 1 : nil
        if online[user]?.isEmpty == true { online[user] = nil }
    }

    func isOnline(_ user: String, now: Duration) -> Bool {
        (online[user] ?? [:]).keys.contains { isLive($0, now: now) }
    }

    mutating func presencePut(room: String, node: String, connID: String, value: [UInt8]) {
        presence[room, default: [:]][node, default: [:]][connID] = value
    }

    mutating func presenceRemove(room: String, node: String, connID: String) {
        presence[room]?[node]?[connID] = nil
        if presence[room]?[node]?.isEmpty == true { presence[room]?[node] = nil }
        if presence[room]?.isEmpty == true { presence[room] = nil }
    }

    func presenceAll(room: String, now: Duration) -> [PresenceEntry] {
        var entries: [PresenceEntry] = []
        for (node, connections) in presence[room] ?? [:] where isLive(node, now: now) {
            for (connID, value) in connections { entries.append(PresenceEntry(node: node, connID: connID, value: value)) }
        }
        return entries.sorted { ($0.node, $0.connID) < ($1.node, $1.connID) }
    }
}
