import Foundation
import Glibc

/// Dedicated threads, each owning one ``SQLiteConnection``, that run blocking SQLite
/// work off the caller's thread: async callers queue a job and suspend on a
/// continuation, which the thread resumes with the job's result. Nothing here ever
/// blocks a Swift concurrency thread or an event loop.
///
/// ``SQLiteStore`` uses one worker with one thread for writes (so writes are serialized
/// in arrival order) and one with `readerThreads` threads for reads.
final class SQLiteWorker: Sendable {
    private let queue: SQLiteJobQueue

    private init(queue: SQLiteJobQueue) {
        self.queue = queue
    }

    deinit {
        queue.shutdown()
    }

    /// Starts `threads` threads named `name` (or `name-<index>`), each opening its own
    /// connection with `open` on itself;
    /// returns once all have opened, or throws the first failure (after stopping the
    /// threads already started).
    static func start(
        name: String, threads: Int, open: @escaping @Sendable () throws(StoreError) -> SQLiteConnection
    ) async throws(StoreError) -> SQLiteWorker {
        let queue = SQLiteJobQueue()
        let worker = SQLiteWorker(queue: queue)
        for index in 0..<max(threads, 1) {
            let opened: Result<Void, StoreError> = await withCheckedContinuation { ready in
                queue.threadStarting()
                // Linux refuses thread names over 15 bytes (the thread would keep its creator's).
                let threadName = String((threads > 1 ? "\(name)-\(index)" : name).prefix(15))
                let thread = Thread {
                    SQLiteWorker.nameCurrentThread(threadName)
                    SQLiteWorker.threadMain(queue: queue, open: open, ready: ready)
                    queue.threadExited()
                }
                thread.start()
            }
            if case .failure(let error) = opened {
                await worker.close()
                throw error
            }
        }
        return worker
    }

    /// Runs `body` on one of the worker's threads with its connection.
    func run<T: Sendable>(
        _ body: @escaping @Sendable (SQLiteConnection) throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        let result: Result<T, StoreError> = await withCheckedContinuation { continuation in
            let accepted = queue.enqueue { connection in
                continuation.resume(returning: Result { () throws(StoreError) -> T in try body(connection) })
            }
            if !accepted { continuation.resume(returning: .failure(.closed)) }
        }
        return try result.get()
    }

    /// Lets the queued jobs finish, closes the connections and waits for the threads.
    func close() async {
        queue.shutdown()
        await queue.waitUntilStopped()
    }

    /// Names the calling OS thread (as `top -H`, `gdb` and `perf` show it) through
    /// `/proc/thread-self/comm`: `pthread_setname_np` is a GNU extension Glibc's module
    /// does not export, and Foundation's `Thread.name` reaches the OS thread only if the
    /// spawning thread has already recorded the new thread's handle (a race).
    private static func nameCurrentThread(_ name: String) {
        let fd = Glibc.open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = name.utf8CString.withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, $0.count - 1) }
        Glibc.close(fd)
    }

    /// A thread's life: open, report, serve until shutdown. The connection is a local of
    /// this function, so it is closed when the function returns, before the thread
    /// reports its exit.
    private static func threadMain(
        queue: SQLiteJobQueue, open: @Sendable () throws(StoreError) -> SQLiteConnection,
        ready: CheckedContinuation<Result<Void, StoreError>, Never>
    ) {
        let connection: SQLiteConnection
        do throws(StoreError) {
            connection = try open()
        } catch {
            ready.resume(returning: .failure(error))
            return
        }
        ready.resume(returning: .success(()))
        while let job = queue.next() {
            job(connection)
        }
    }
}
