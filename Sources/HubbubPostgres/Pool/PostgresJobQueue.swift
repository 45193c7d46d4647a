import Dispatch
import HubbubStore
import Synchronization

/// The FIFO of jobs shared by the threads of a ``PostgresPool``; whichever thread is
/// free takes the next job.
///
/// A mutex guards the jobs; a counting semaphore gets one signal per job and, at
/// shutdown, one per thread. A thread waiting to reconnect waits with a deadline.
/// Every job queued before ``shutdown()`` runs, and every thread exits exactly once.
final class PostgresJobQueue: Sendable {
    /// How many times a pool thread has reconnected after losing its connection: a thread
    /// waiting out its backoff tries again at once when another one got through, so after
    /// an outage the whole pool comes back together instead of thread by thread.
    private let recoveries = Atomic<UInt64>(0)

    func noteRecovery() {
        recoveries.add(1, ordering: .relaxed)
    }

    var recoveryCount: UInt64 { recoveries.load(ordering: .relaxed) }

    /// A job gets the thread's connection, or why the thread has none right now.
    typealias Job = @Sendable (Result<PostgresConnection, StoreError>) -> Void

    enum Next {
        case job(Job)
        /// The deadline passed with no job.
        case timedOut
        /// Shut down and empty: the thread exits.
        case finished
    }

    private struct State {
        var jobs: [Job] = []
        var head = 0
        var closed = false
        var threads = 0
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)

    /// Queues `job`; `false` (and the job dropped) after ``shutdown()``.
    func enqueue(_ job: @escaping Job) -> Bool {
        let accepted = state.withLock { state in
            guard !state.closed else { return false }
            state.jobs.append(job)
            return true
        }
        if accepted { available.signal() }
        return accepted
    }

    /// Blocks the calling pool thread until a job is queued, the queue is shut down and
    /// empty, or `deadline` passes.
    func next(until deadline: DispatchTime?) -> Next {
        while true {
            if let deadline {
                if available.wait(timeout: deadline) == .timedOut { return .timedOut }
            } else {
                available.wait()
            }
            let next: Next? = state.withLock { state in
                guard state.head < state.jobs.count else { return state.closed ? .finished : nil }
                let job = state.jobs[state.head]
                state.head += 1
                if state.head == state.jobs.count {
                    state.jobs.removeAll(keepingCapacity: true)
                    state.head = 0
                } else if state.head >= 1024 {
                    state.jobs.removeFirst(state.head)
                    state.head = 0
                }
                return .job(job)
            }
            if let next { return next }
        }
    }

    /// Called before a thread serving this queue starts.
    func threadStarting() {
        state.withLock { $0.threads += 1 }
    }

    /// Called by a thread as its very last step, after it released its connection.
    func threadExited() {
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            state.threads -= 1
            guard state.threads == 0 else { return [] }
            defer { state.exitWaiters.removeAll() }
            return state.exitWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Refuses new jobs; the threads finish the queued ones, then exit. Idempotent.
    func shutdown() {
        let wakeups: Int = state.withLock { state in
            guard !state.closed else { return 0 }
            state.closed = true
            return state.threads
        }
        for _ in 0..<wakeups { available.signal() }
    }

    /// Returns once every thread has exited.
    func waitUntilStopped() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let stopped: Bool = state.withLock { state in
                guard state.threads > 0 else { return true }
                state.exitWaiters.append(continuation)
                return false
            }
            if stopped { continuation.resume() }
        }
    }
}
