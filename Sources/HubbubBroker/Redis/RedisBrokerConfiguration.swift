/// How a ``RedisBroker`` connects and how patient it is.
public struct RedisBrokerConfiguration: Sendable, Hashable {
    public var url: RedisURL
    /// Put in front of every key and channel the broker uses, so that several
    /// deployments (or test runs) can share one server.
    public var keyPrefix: String = "hubbub:"
    /// How long a TCP connect (with AUTH and SELECT) may take.
    public var connectTimeout: Duration = .seconds(2)
    /// How long the server may take to answer a command before the connection is
    /// considered dead and replaced.
    public var commandTimeout: Duration = .seconds(2)
    /// Reconnect backoff: the first retry is immediate, then this, doubling up to
    /// ``reconnectMaximumDelay``.
    public var reconnectInitialDelay: Duration = .milliseconds(50)
    public var reconnectMaximumDelay: Duration = .seconds(2)
    /// The subscriber connection sends `PING` after this much silence, and gives the
    /// link up when no answer comes within ``commandTimeout``: a cut network is noticed
    /// in about pingInterval + commandTimeout.
    public var pingInterval: Duration = .seconds(1)

    public init(url: RedisURL) {
        self.url = url
    }

    public init(url text: String) throws(BrokerError) {
        self.init(url: try RedisURL(parsing: text))
    }
}
