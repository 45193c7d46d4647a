import HubbubSupport
import Dispatch
import HubbubStore
import Logging

/// The life of one pool thread and its connection: serve jobs; when the connection is
/// lost, replace it, right away the first time and then with ``ReconnectBackoff``;
/// while it has none, fail jobs at once with ``StoreError/Code/unavailable`` rather
/// than make them wait for the database to come back.
///
/// Thread-confined: created, used and dropped on its own thread, so the connection
/// (a non-Sendable class) never crosses threads.
struct PoolThread {
    let name: String
    let parameters: ConnectionParameters
    let logger: Logger
    private var connection: PostgresConnection?
    private var backoff: ReconnectBackoff
    /// When to try to connect again (only while `connection` is `nil`).
    private var nextAttempt = ContinuousClock.now
    /// Why there is no connection (only while `connection` is `nil`).
    private var lastError = StoreError.connectionLost("not connected")
    /// The queue's recovery count when this thread last failed to connect.
    private var recoveriesSeen: UInt64 = 0

    /// Opens the first connection; throws if it cannot.
    init(name: String, parameters: ConnectionParameters, backoff: ReconnectBackoff, logger: Logger)
        throws(StoreError)
    {
        self.name = name
        self.parameters = parameters
        self.backoff = backoff
        self.logger = logger
        connection = try PostgresConnection(parameters)
    }

    /// Serves jobs until the queue is shut down and empty.
    mutating func serve(_ queue: PostgresJobQueue) {
        while true {
            switch queue.next(until: connection == nil ? Self.dispatchTime(nextAttempt) : nil) {
            case .finished:
                connection = nil
                return
            case .timedOut:
                reconnect(queue)
            case .job(let job):
                if let idle = connection, idle.wasClosedByServer {
                    logger.info("PostgreSQL closed an idle connection; reconnecting", metadata: ["thread": "\(name)"])
                    connection = nil
                    nextAttempt = .now
                }
                if connection == nil, ContinuousClock.now >= nextAttempt || queue.recoveryCount != recoveriesSeen {
                    reconnect(queue)
                }
                guard let connection else {
                    job(.failure(StoreError(code: .unavailable, message: "database unreachable: \(lastError.message)")))
                    continue
                }
                job(.success(connection))
                checkAfterJob(connection)
            }
        }
    }

    /// A connection goes back to the pool idle (no open transaction) and alive, or not
    /// at all.
    private mutating func checkAfterJob(_ used: PostgresConnection) {
        if !used.isBroken && !used.isIdle {
            do throws(StoreError) {
                try used.execute(script: "ROLLBACK")
            } catch {
                logger.warning("could not roll back a transaction left open", metadata: ["error": "\(error)"])
            }
        }
        guard used.isBroken || !used.isIdle else { return }
        logger.warning("PostgreSQL connection lost", metadata: ["thread": "\(name)"])
        connection = nil
        lastError = StoreError.connectionLost("the connection was lost")
        nextAttempt = .now
    }

    private mutating func reconnect(_ queue: PostgresJobQueue) {
        do throws(StoreError) {
            connection = try PostgresConnection(parameters)
            queue.noteRecovery()
            if backoff.failures > 0 {
                logger.info(
                    "PostgreSQL connection restored", metadata: ["thread": "\(name)", "attempts": "\(backoff.failures)"])
            }
            backoff.succeeded()
        } catch {
            lastError = error
            recoveriesSeen = queue.recoveryCount
            let delay = backoff.failed()
            nextAttempt = .now + delay
            logger.debug(
                "PostgreSQL reconnect failed",
                metadata: ["thread": "\(name)", "error": "\(error)", "retry_in": "\(delay)"])
        }
    }

    private static func dispatchTime(_ instant: ContinuousClock.Instant) -> DispatchTime {
        let remaining = ContinuousClock.now.duration(to: instant)
        guard remaining > .zero else { return .now() }
        let (seconds, attoseconds) = remaining.components
        return .now() + .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
    }
}
