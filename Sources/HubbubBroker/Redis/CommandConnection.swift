import Foundation
import Logging
import Synchronization

/// The command connection of a ``RedisBroker``: one thread of its own owns the
/// connection; callers queue commands and await their replies (a continuation resumed
/// from that thread), so no Swift concurrency thread ever blocks on Redis.
///
/// Pipelined: every command queued while the thread was busy is written in one go and
/// the replies are matched in order. While there is no connection, queued commands fail
/// at once with the last connect error (retryable), and the thread reconnects with
/// backoff. A command unanswered within the command timeout fails with `timeout` and the
/// connection is replaced.
final class CommandConnection: Sendable {
    typealias Completion = @Sendable (Result<[RedisValue], BrokerError>) -> Void

    struct Job: Sendable {
        let commands: [RedisCommand]
        let completion: Completion
    }

    private struct Shared {
        var jobs: [Job] = []
        var stopping = false
        var exited = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let shared = Mutex(Shared())
    let wake: WakePipe
    let configuration: RedisBrokerConfiguration
    let logger: Logger

    init(configuration: RedisBrokerConfiguration, logger: Logger) throws(BrokerError) {
        self.configuration = configuration
        self.logger = logger
        wake = try WakePipe()
    }

    /// Starts the thread; `firstAttempt` gets the outcome of its first connect.
    func start(firstAttempt: @escaping @Sendable (BrokerError?) -> Void) {
        let thread = Thread { [self] in
            var loop = CommandLoop(connection: self, firstAttempt: firstAttempt)
            loop.run()
            finishExit()
        }
        thread.name = "hubbub-redis-commands"
        thread.start()
    }

    /// Runs the commands (pipelined, in order) and returns their replies, error replies
    /// included; throws when the connection fails.
    func execute(_ commands: [RedisCommand]) async throws(BrokerError) -> [RedisValue] {
        let result = await withCheckedContinuation { (continuation: CheckedContinuation<Result<[RedisValue], BrokerError>, Never>) in
            let job = Job(commands: commands) { continuation.resume(returning: $0) }
            let accepted = shared.withLock { shared in
                guard !shared.stopping else { return false }
                shared.jobs.append(job)
                return true
            }
            if accepted { wake.wake() } else { continuation.resume(returning: .failure(.shutdown)) }
        }
        return try result.get()
    }

    /// The jobs queued since the last call, and whether the connection is shutting down.
    func takeJobs() -> (jobs: [Job], stopping: Bool) {
        shared.withLock { shared in
            defer { shared.jobs.removeAll() }
            return (shared.jobs, shared.stopping)
        }
    }

    /// Lets queued commands finish, then closes the connection and waits for the thread.
    func shutdown() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let exited = shared.withLock { shared in
                shared.stopping = true
                if !shared.exited { shared.exitWaiters.append(continuation) }
                return shared.exited
            }
            if exited { continuation.resume() } else { wake.wake() }
        }
    }

    private func finishExit() {
        let waiters = shared.withLock { shared in
            shared.exited = true
            defer { shared.exitWaiters.removeAll() }
            return shared.exitWaiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

/// The life of the command thread. Thread-confined.
private struct CommandLoop {
    let connection: CommandConnection
    var firstAttempt: (@Sendable (BrokerError?) -> Void)?
    var link: RedisLink
    /// Jobs written and not yet fully answered, oldest first.
    var pending: [(job: CommandConnection.Job, replies: [RedisValue], deadline: ContinuousClock.Instant)] = []
    var head = 0

    init(connection: CommandConnection, firstAttempt: @escaping @Sendable (BrokerError?) -> Void) {
        self.connection = connection
        self.firstAttempt = firstAttempt
        link = RedisLink(role: "commands", configuration: connection.configuration, logger: connection.logger)
    }

    mutating func run() {
        while true {
            let (jobs, stopping) = connection.takeJobs()
            if !stopping, let outcome = link.connectIfDue() {
                firstAttempt?(outcome.failure)
                firstAttempt = nil
            }
            if let context = link.context {
                send(jobs, on: context)
            } else {
                let error = BrokerError.unavailable("Redis unreachable: \(link.lastError.message)")
                for job in jobs { job.completion(.failure(error)) }
            }
            if stopping && head == pending.count {
                link.close()
                return
            }
            let deadline = head < pending.count ? pending[head].deadline : nil
            if link.wait(wake: connection.wake, until: deadline), let context = link.context {
                receive(on: context)
            }
            if head < pending.count, ContinuousClock.now >= pending[head].deadline {
                lose(BrokerError(code: .timeout, message: "Redis did not answer within \(connection.configuration.commandTimeout)"))
            }
        }
    }

    private mutating func send(_ jobs: [CommandConnection.Job], on context: RedisContext) {
        guard !jobs.isEmpty else { return }
        let deadline = ContinuousClock.now + connection.configuration.commandTimeout
        for job in jobs { pending.append((job, [], deadline)) }
        do throws(BrokerError) {
            for job in jobs {
                for command in job.commands { try context.append(command) }
            }
            try context.flush()
        } catch {
            lose(error)
        }
    }

    private mutating func receive(on context: RedisContext) {
        do throws(BrokerError) {
            try context.read()
            while let reply = try context.nextReply() {
                guard head < pending.count else {
                    throw BrokerError(code: .server, message: "Redis sent a reply nobody asked for")
                }
                pending[head].replies.append(reply)
                if pending[head].replies.count == pending[head].job.commands.count {
                    let done = pending[head]
                    head += 1
                    done.job.completion(.success(done.replies))
                }
            }
            compact()
        } catch {
            lose(error)
        }
    }

    /// The connection is broken: every job on it fails with `error` (retryable), the
    /// next connect is immediate.
    private mutating func lose(_ error: BrokerError) {
        link.drop(error)
        let failed = pending[head...]
        pending.removeAll()
        head = 0
        for entry in failed { entry.job.completion(.failure(error)) }
    }

    private mutating func compact() {
        if head == pending.count {
            pending.removeAll(keepingCapacity: true)
            head = 0
        }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let error) = self { return error }
        return nil
    }
}
