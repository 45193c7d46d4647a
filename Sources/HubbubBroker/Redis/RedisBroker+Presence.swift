/// Nodes, online counts and presence: one script each (``RedisScripts``), atomic on the server.
extension RedisBroker {
    // MARK: Nodes

    public func heartbeat(node: String, ttl: Duration) async throws(BrokerError) {
        try BrokerValidation.node(node)
        try BrokerValidation.ttl(ttl)
        let (seconds, attoseconds) = ttl.components
        let millis = max(seconds * 1000 + attoseconds / 1_000_000_000_000_000, 1)
        _ = try await eval(RedisScripts.heartbeat, keys: [keys.nodes], arguments: [Array(node.utf8), Array(String(millis).utf8)])
    }

    public func liveNodes() async throws(BrokerError) -> Set<String> {
        let reply = try await eval(RedisScripts.liveNodes, keys: [keys.nodes], arguments: [])
        return Set((reply.elements ?? []).compactMap(\.text))
    }

    public func reapDeadNodes() async throws(BrokerError) -> [String] {
        let reply = try await eval(RedisScripts.reap, keys: [keys.nodes], arguments: [Array(keys.prefix.utf8)])
        return (reply.elements ?? []).compactMap(\.text).sorted()
    }

    public func removeNode(_ node: String) async throws(BrokerError) {
        try BrokerValidation.node(node)
        _ = try await eval(RedisScripts.removeNode, keys: [keys.nodes], arguments: [Array(keys.prefix.utf8), Array(node.utf8)])
    }

    // MARK: Online

    public func userOnline(userID: String, node: String) async throws(BrokerError) {
        try BrokerValidation.userID(userID)
        try BrokerValidation.node(node)
        _ = try await eval(
            RedisScripts.userOnline, keys: [keys.online(userID), keys.nodeUsers(node)],
            arguments: [Array(node.utf8), Array(userID.utf8)])
    }

    public func userOffline(userID: String, node: String) async throws(BrokerError) {
        try BrokerValidation.userID(userID)
        try BrokerValidation.node(node)
        _ = try await eval(
            RedisScripts.userOffline, keys: [keys.online(userID), keys.nodeUsers(node)],
            arguments: [Array(node.utf8), Array(userID.utf8)])
    }

    public func isOnline(userID: String) async throws(BrokerError) -> Bool {
        try BrokerValidation.userID(userID)
        let reply = try await eval(RedisScripts.isOnline, keys: [keys.online(userID), keys.nodes], arguments: [])
        return reply.integer == 1
    }

    // MARK: Presence

    public func presencePut(room: String, node: String, connID: String, value: [UInt8]) async throws(BrokerError) {
        try BrokerValidation.room(room)
        try BrokerValidation.node(node)
        _ = try await eval(
            RedisScripts.presencePut, keys: [keys.presence(room), keys.nodeRooms(node)],
            arguments: [RedisKeys.presenceField(node: node, connID: connID), value, Array(room.utf8)])
    }

    public func presenceRemove(room: String, node: String, connID: String) async throws(BrokerError) {
        try BrokerValidation.room(room)
        try BrokerValidation.node(node)
        _ = try await eval(
            RedisScripts.presenceRemove, keys: [keys.presence(room), keys.nodeRooms(node)],
            arguments: [RedisKeys.presenceField(node: node, connID: connID), Array(node.utf8), Array(room.utf8)])
    }

    public func presenceAll(room: String) async throws(BrokerError) -> [PresenceEntry] {
        try BrokerValidation.room(room)
        let reply = try await eval(RedisScripts.presenceAll, keys: [keys.presence(room), keys.nodes], arguments: [])
        let flat = reply.elements ?? []
        var entries: [PresenceEntry] = []
        var index = 0
        while index + 1 < flat.count {
            defer { index += 2 }
            guard let field = flat[index].bytes, let value = flat[index + 1].bytes,
                let split = field.firstIndex(of: 0)
            else { continue }
            entries.append(
                PresenceEntry(
                    node: String(decoding: field[..<split], as: UTF8.self),
                    connID: String(decoding: field[(split + 1)...], as: UTF8.self), value: value))
        }
        return entries.sorted { ($0.node, $0.connID) < ($1.node, $1.connID) }
    }
}
