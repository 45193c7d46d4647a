/// The names of everything a ``RedisBroker`` keeps in Redis, all under one prefix
/// (``RedisBrokerConfiguration/keyPrefix``, `hubbub:` by default). docs/redis.md lists them.
struct RedisKeys: Sendable, Hashable {
    let prefix: String

    /// Pub/sub channel `name` is `<prefix>ch:<name>` on the server.
    var channelPrefix: String { prefix + "ch:" }

    /// Sorted set: node id → when its heartbeat expires (ms, by the server's clock).
    var nodes: String { prefix + "nodes" }

    /// Hash: node id → connections of `user` on that node.
    func online(_ user: String) -> String { prefix + "online:" + user }

    /// Hash: `<node>\0<connID>` → presence value, for one room.
    func presence(_ room: String) -> String { prefix + "presence:" + room }

    /// Set: users with connections on `node` (what to clean up when it dies).
    func nodeUsers(_ node: String) -> String { prefix + "node:" + node + ":users" }

    /// Set: rooms where `node` has presence entries (what to clean up when it dies).
    func nodeRooms(_ node: String) -> String { prefix + "node:" + node + ":rooms" }

    /// The field of a presence entry: node and connection, split by a NUL (which node ids
    /// never contain).
    static func presenceField(node: String, connID: String) -> [UInt8] {
        Array(node.utf8) + [0] + Array(connID.utf8)
    }
}
