import HubbubSupport
import Glibc
import Logging

/// The connection of one broker thread, and when to try again while it has none:
/// the first attempt after a loss is immediate, then ``ReconnectBackoff`` (capped).
///
/// Thread-confined: made, used and dropped on its thread, so the ``RedisContext`` (not
/// Sendable) never crosses threads.
struct RedisLink {
    let role: String
    let configuration: RedisBrokerConfiguration
    let logger: Logger
    private(set) var context: RedisContext?
    private var backoff: ReconnectBackoff
    private(set) var nextAttempt = ContinuousClock.now
    private(set) var lastError = BrokerError.unavailable("Redis: not connected yet")

    init(role: String, configuration: RedisBrokerConfiguration, logger: Logger) {
        self.role = role
        self.configuration = configuration
        self.logger = logger
        backoff = ReconnectBackoff(initial: configuration.reconnectInitialDelay, maximum: configuration.reconnectMaximumDelay)
    }

    var isConnected: Bool { context != nil }

    /// Connects when there is no connection and the backoff allows: `nil` when no attempt
    /// was made, else the attempt's outcome.
    mutating func connectIfDue() -> Result<Void, BrokerError>? {
        guard context == nil, ContinuousClock.now >= nextAttempt else { return nil }
        do throws(BrokerError) {
            context = try RedisContext(
                url: configuration.url, connectTimeout: configuration.connectTimeout, ioTimeout: configuration.commandTimeout)
            if backoff.failures > 0 {
                logger.info("Redis connection restored", metadata: ["link": "\(role)", "attempts": "\(backoff.failures)"])
            }
            backoff.succeeded()
            return .success(())
        } catch {
            lastError = error
            let delay = backoff.failed()
            nextAttempt = .now + delay
            logger.debug(
                "Redis connect failed", metadata: ["link": "\(role)", "error": "\(error)", "retry_in": "\(delay)"])
            return .failure(error)
        }
    }

    /// Drops a broken connection; the next attempt is immediate.
    mutating func drop(_ error: BrokerError) {
        guard context != nil else { return }
        logger.warning("Redis connection lost", metadata: ["link": "\(role)", "error": "\(error)"])
        context = nil
        lastError = error
        nextAttempt = .now
    }

    /// Closes the connection (shutdown).
    mutating func close() {
        context = nil
    }

    /// Waits until the wake pipe or the connection is readable, or `deadline` passes (or,
    /// without a connection, the next attempt is due). Returns whether the connection is
    /// readable; the wake pipe is drained.
    func wait(wake: WakePipe, until deadline: ContinuousClock.Instant?) -> Bool {
        var descriptors = [pollfd(fd: wake.readDescriptor, events: Int16(POLLIN), revents: 0)]
        if let context { descriptors.append(pollfd(fd: context.fileDescriptor, events: Int16(POLLIN), revents: 0)) }
        let until = context == nil ? nextAttempt : deadline
        var timeout: Int32 = -1
        if let until {
            let remaining = ContinuousClock.now.duration(to: until)
            let (seconds, attoseconds) = max(remaining, .zero).components
            // Rounded up, so a wait never ends just before its deadline.
            let millis = seconds * 1000 + (attoseconds + 999_999_999_999_999) / 1_000_000_000_000_000
            timeout = Int32(clamping: millis)
        }
        let ready = poll(&descriptors, nfds_t(descriptors.count), timeout)
        if ready <= 0 { return false }  // timeout, or EINTR: the caller's loop runs again
        if descriptors[0].revents != 0 { wake.drain() }
        return descriptors.count > 1 && descriptors[1].revents != 0
    }
}
