import Foundation
import Glibc
import Synchronization

/// One dedicated thread that runs blocking jobs (socket I/O, file writes) for async
/// callers: a caller queues a job and suspends on a continuation that the thread
/// resumes with the job's result. Nothing it runs ever blocks a Swift concurrency
/// thread or an event loop.
///
/// The thread starts with the first job (never from `init`) and exits after
/// ``shutdown()``, once the queued jobs are done.
final class BlockingWorker: Sendable {
    typealias Job = @Sendable () -> Void

    private struct State {
        var jobs: [Job] = []
        var started = false
        var closed = false
        var running = false
        var exitWaiters: [CheckedContinuation<Void, Never>] = []
    }

    private let name: String
    private let state = Mutex(State())
    private let available = DispatchSemaphore(value: 0)

    /// `name` (at most 15 bytes shown) names the OS thread.
    init(name: String) {
        self.name = name
    }

    deinit {
        shutdownNow()
    }

    /// Runs `body` on the worker's thread and returns its result; throws `closed` (without
    /// running `body`) after ``shutdown()``. Owners call ``shutdown()`` when done: the
    /// thread waits for jobs until then.
    func run<T: Sendable, E: Error>(
        _ body: @escaping @Sendable () throws(E) -> T, closed: E
    ) async throws(E) -> T {
        let result: Result<T, E> = await withCheckedContinuation { continuation in
            let job: Job = { continuation.resume(returning: Result { () throws(E) -> T in try body() }) }
            let (accepted, start): (Bool, Bool) = state.withLock { state in
                guard !state.closed else { return (false, false) }
                state.jobs.append(job)
                let start = !state.started
                if start {
                    state.started = true
                    state.running = true
                }
                return (true, start)
            }
            guard accepted else {
                continuation.resume(returning: .failure(closed))
                return
            }
            if start { startThread() }
            available.signal()
        }
        return try result.get()
    }

    /// Refuses new jobs, lets the queued ones finish and waits for the thread to exit.
    func shutdown() async {
        shutdownNow()
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let stopped: Bool = state.withLock { state in
                guard state.running else { return true }
                state.exitWaiters.append(continuation)
                return false
            }
            if stopped { continuation.resume() }
        }
    }

    private func shutdownNow() {
        let wake: Bool = state.withLock { state in
            guard !state.closed else { return false }
            state.closed = true
            return state.running
        }
        if wake { available.signal() }
    }

    private func startThread() {
        let threadName = String(name.prefix(15))
        let thread = Thread { [self] in
            Self.nameCurrentThread(threadName)
            serve()
        }
        thread.start()
    }

    private func serve() {
        while true {
            available.wait()
            let (job, exit): (Job?, Bool) = state.withLock { state in
                if !state.jobs.isEmpty { return (state.jobs.removeFirst(), false) }
                return (nil, state.closed)
            }
            if let job {
                job()
            } else if exit {
                break
            }
        }
        let waiters: [CheckedContinuation<Void, Never>] = state.withLock { state in
            state.running = false
            defer { state.exitWaiters.removeAll() }
            return state.exitWaiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Names the OS thread through `/proc/thread-self/comm` (see `SQLiteWorker`).
    private static func nameCurrentThread(_ name: String) {
        let fd = Glibc.open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = name.utf8CString.withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, $0.count - 1) }
        Glibc.close(fd)
    }
}
