import Dispatch
import Synchronization

/// The FIFO of jobs shared by the threads of one ``SQLiteWorker``.
///
/// A mutex guards the jobs; a counting semaphore gets one signal per job and, at
/// shutdown, one per thread. A thread that wakes and finds no job exits, so every job
/// queued before ``shutdown()`` runs and every thread exits exactly once.
final class SQLiteJobQueue: Sendable {
    typealias Job = @Sendable (SQLiteConnection) -> Void

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

    /// Blocks the calling worker thread until a job is queued; `nil` once the queue is
    /// shut down and empty.
    func next() -> Job? {
        while true {
            available.wait()
            let (job, finished): (Job?, Bool) = state.withLock { state in
                guard state.head < state.jobs.count else { return (nil, state.closed) }
                let job = state.jobs[state.head]
                state.head += 1
                if state.head == state.jobs.count {
                    state.jobs.removeAll(keepingCapacity: true)
                    state.head = 0
                } else if state.head >= 1024 {
                    state.jobs.removeFirst(state.head)
                    state.head = 0
                }
                return (job, false)
            }
            if let job { return job }
            if finished { return nil }
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
