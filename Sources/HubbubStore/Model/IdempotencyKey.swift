/// Makes a retried command apply once.
///
/// `scope` is whose key space it is (the user id for WebSocket commands, the service
/// name for HTTP publishes) and `key` the client's request id within it. The store keeps
/// the reply of every command that was *stored* under its key until
/// ``Store/purgeIdempotencyKeys(olderThan:)`` removes it; failed commands are not
/// remembered, so a retry after a failure runs anew.
public struct IdempotencyKey: Sendable, Hashable {
    public var scope: String
    public var key: String

    public init(scope: String, key: String) {
        self.scope = scope
        self.key = key
    }
}
