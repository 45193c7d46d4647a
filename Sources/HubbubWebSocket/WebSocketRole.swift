/// Which end of the connection we are. It decides the masking rules (RFC 6455 §5.1): a
/// client masks every frame it sends and a server masks none, and each rejects frames
/// from the peer that break the rule.
public enum WebSocketRole: Sendable, Hashable {
    /// We accepted the connection: incoming frames must be masked, ours are not.
    case server
    /// We opened the connection: our frames are masked, incoming frames must not be.
    case client
}
