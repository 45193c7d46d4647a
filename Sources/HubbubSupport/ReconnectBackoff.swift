/// Exponential backoff between attempts to reconnect: the first attempt after a
/// connection is lost is immediate, then each failed attempt doubles the wait, from
/// `initial` up to `maximum`; a success starts over. Pure state, no clock. Shared by
/// every client that reconnects to a server: the PostgreSQL pool and the Redis broker.
public struct ReconnectBackoff: Sendable, Hashable {
    public let initial: Duration
    public let maximum: Duration
    /// Failed attempts since the last success.
    public private(set) var failures = 0

    public init(initial: Duration, maximum: Duration) {
        self.initial = max(initial, .zero)
        self.maximum = max(maximum, self.initial)
    }

    /// Records a failed attempt; returns how long to wait before the next one.
    public mutating func failed() -> Duration {
        failures += 1
        var delay = initial
        for _ in 1..<min(failures, 40) {
            delay *= 2
            if delay >= maximum { return maximum }
        }
        return min(delay, maximum)
    }

    public mutating func succeeded() {
        failures = 0
    }
}
