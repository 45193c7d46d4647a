/// Keep-alive and closing timers of a ``WebSocketConnection``, in nanoseconds of a
/// monotonic clock. A value of 0 disables that timer.
public struct WebSocketTimeouts: Sendable, Hashable {
    /// Send a ping when nothing has been received for this long (and again every interval
    /// while the silence lasts). Default: 20 s.
    public var pingInterval: UInt64
    /// Drop the peer when nothing has been received for this long. Default: 60 s.
    public var idleTimeout: UInt64
    /// After sending our close frame, wait this long for the peer's close, then drop the
    /// connection. Default: 5 s.
    public var closeTimeout: UInt64

    /// Creates timeouts, in nanoseconds; 0 disables a timer.
    public init(
        pingInterval: UInt64 = 20_000_000_000,
        idleTimeout: UInt64 = 60_000_000_000,
        closeTimeout: UInt64 = 5_000_000_000
    ) {
        self.pingInterval = pingInterval
        self.idleTimeout = idleTimeout
        self.closeTimeout = closeTimeout
    }

    /// Every timer disabled: the connection never pings, never times out.
    public static let disabled = WebSocketTimeouts(pingInterval: 0, idleTimeout: 0, closeTimeout: 0)
}
