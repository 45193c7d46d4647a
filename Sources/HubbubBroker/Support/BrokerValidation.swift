/// The argument checks every broker makes, so that both implementations refuse the same
/// calls with the same error.
enum BrokerValidation {
    static func channel(_ channel: String) throws(BrokerError) {
        guard !channel.isEmpty else { throw .invalidArgument("empty channel name") }
    }

    static func node(_ node: String) throws(BrokerError) {
        guard !node.isEmpty, !node.utf8.contains(0) else {
            throw .invalidArgument("a node id must be non-empty and contain no NUL")
        }
    }

    static func ttl(_ ttl: Duration) throws(BrokerError) {
        guard ttl > .zero else { throw .invalidArgument("heartbeat ttl must be positive") }
    }

    static func userID(_ userID: String) throws(BrokerError) {
        guard !userID.isEmpty else { throw .invalidArgument("empty user id") }
    }

    static func room(_ room: String) throws(BrokerError) {
        guard !room.isEmpty else { throw .invalidArgument("empty room") }
    }
}
