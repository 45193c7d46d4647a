import HubbubBroker
import Testing
import Synchronization

/// Reads a broker's connection events into a log, so a test waits for the next one
/// with a time limit: an event that never comes fails the test instead of hanging it.
final class EventLog: Sendable {
    private struct State {
        var events: [BrokerConnectionEvent] = []
        var read = 0
        var finished = false
    }

    private let state = Mutex(State())

    init(_ stream: AsyncStream<BrokerConnectionEvent>) {
        Task { [self] in
            for await event in stream { state.withLock { $0.events.append(event) } }
            state.withLock { $0.finished = true }
        }
    }

    /// The next event not read yet; nil when the stream finished, or when none came
    /// within `timeout` (recorded as a test issue).
    func next(within timeout: Duration = .seconds(30)) async -> BrokerConnectionEvent? {
        let deadline = ContinuousClock.now + timeout
        while true {
            let (event, finished): (BrokerConnectionEvent?, Bool) = state.withLock { state in
                guard state.read < state.events.count else { return (nil, state.finished) }
                state.read += 1
                return (state.events[state.read - 1], false)
            }
            if let event { return event }
            if finished { return nil }
            guard ContinuousClock.now < deadline else {
                Issue.record("no connection event within \(timeout)")
                return nil
            }
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Every event until the stream finishes (within `timeout`).
    func all(within timeout: Duration = .seconds(30)) async -> [BrokerConnectionEvent] {
        var collected: [BrokerConnectionEvent] = []
        while let event = await next(within: timeout) { collected.append(event) }
        return collected
    }
}

struct TimeLimitExceeded: Error, CustomStringConvertible {
    let limit: Duration
    var description: String { "the test did not finish within \(limit)" }
}

/// Runs `body` and fails with ``TimeLimitExceeded`` when it takes longer than `limit`,
/// even when it waits on something that ignores cancellation: the test fails instead of
/// hanging the run (the body's task is cancelled and left to end on its own).
func withTimeLimit<T: Sendable>(
    _ limit: Duration, _ body: @escaping @Sendable () async throws -> T
) async throws -> T {
    let race = TimeLimitRace<T>()
    return try await withCheckedThrowingContinuation { continuation in
        race.start(continuation, limit: limit, body)
    }
}

/// The first of the body and the timer to finish resumes the caller.
private final class TimeLimitRace<T: Sendable>: Sendable {
    private let continuation = Mutex<CheckedContinuation<T, any Error>?>(nil)
    private let work = Mutex<Task<Void, Never>?>(nil)
    private let timer = Mutex<Task<Void, Never>?>(nil)

    func start(
        _ continuation: CheckedContinuation<T, any Error>, limit: Duration,
        _ body: @escaping @Sendable () async throws -> T
    ) {
        self.continuation.withLock { $0 = continuation }
        let task = Task { finish(await Result(catching: body)) }
        work.withLock { $0 = task }
        let timer = Task {
            guard (try? await Task.sleep(for: limit)) != nil else { return }  // the body finished first
            finish(.failure(TimeLimitExceeded(limit: limit)))
            work.withLock { $0 }?.cancel()
        }
        self.timer.withLock { $0 = timer }
    }

    private func finish(_ result: Result<T, any Error>) {
        continuation.withLock { $0.take() }?.resume(with: result)
        timer.withLock { $0 }?.cancel()
    }
}

extension Result where Failure == any Error {
    init(catching body: () async throws -> Success) async {
        do { self = .success(try await body()) } catch { self = .failure(error) }
    }
}
