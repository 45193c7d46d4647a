/// A change in a broker's link to the other nodes, as seen by ``Broker/connectionEvents()``.
///
/// Pub/sub is at-most-once: messages published while a node is ``disconnected(reason:)``
/// never reach it. ``reconnected`` is the node's cue to recover: every channel it is
/// subscribed to is active again when the event is delivered, so events missed in the
/// gap are exactly those the store holds past what the node last saw.
public enum BrokerConnectionEvent: Sendable, Hashable {
    /// Connected, for the first time since the broker started.
    case connected
    /// The link is lost; the broker reconnects on its own (with capped exponential backoff).
    case disconnected(reason: String)
    /// The link is back and every subscribed channel is active again; messages published
    /// while disconnected were lost.
    case reconnected
}
