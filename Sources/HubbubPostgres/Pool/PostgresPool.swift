import HubbubSupport
import Foundation
import Glibc
import HubbubStore
import Logging

/// `size` threads, each owning one ``PostgresConnection``, that run blocking libpq work
/// off the caller's thread: async callers queue a job and suspend on a continuation,
/// which the thread that takes the job resumes with its result. Nothing here blocks a
/// Swift concurrency thread or an event loop.
///
/// A thread whose connection is lost reconnects on its own (see ``PoolThread``).
final class PostgresPool: Sendable {
    private let queue: PostgresJobQueue

    private init(queue: PostgresJobQueue) {
        self.queue = queue
    }

    deinit {
        queue.shutdown()
    }

    /// Starts the threads; each opens its connection on itself. Returns once all have,
    /// or throws the first failure (after stopping the threads already started).
    static func start(
        size: Int, parameters: ConnectionParameters, backoff: ReconnectBackoff, logger: Logger
    ) async throws(StoreError) -> PostgresPool {
        let queue = PostgresJobQueue()
        let pool = PostgresPool(queue: queue)
        let count = max(size, 1)
        for index in 0..<count {
            let opened: Result<Void, StoreError> = await withCheckedContinuation { ready in
                queue.threadStarting()
                let name = count > 1 ? "postgres-\(index)" : "postgres"
                let thread = Thread {
                    Self.nameCurrentThread(name)
                    Self.threadMain(
                        queue: queue, name: name, parameters: parameters, backoff: backoff, logger: logger,
                        ready: ready)
                    queue.threadExited()
                }
                thread.start()
            }
            if case .failure(let error) = opened {
                await pool.close()
                throw error
            }
        }
        return pool
    }

    /// Runs `body` on a pool thread with its connection; ``StoreError/Code/unavailable``
    /// at once if that thread has no connection (the database is unreachable), and
    /// ``StoreError/closed`` after ``close()``.
    func run<T: Sendable>(
        _ body: @escaping @Sendable (PostgresConnection) throws(StoreError) -> T
    ) async throws(StoreError) -> T {
        let result: Result<T, StoreError> = await withCheckedContinuation { continuation in
            let accepted = queue.enqueue { connection in
                switch connection {
                case .success(let connection):
                    continuation.resume(returning: Result { () throws(StoreError) -> T in try body(connection) })
                case .failure(let error):
                    continuation.resume(returning: .failure(error))
                }
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

    private static func threadMain(
        queue: PostgresJobQueue, name: String, parameters: ConnectionParameters, backoff: ReconnectBackoff,
        logger: Logger, ready: CheckedContinuation<Result<Void, StoreError>, Never>
    ) {
        var thread: PoolThread
        do throws(StoreError) {
            thread = try PoolThread(name: name, parameters: parameters, backoff: backoff, logger: logger)
        } catch {
            ready.resume(returning: .failure(error))
            return
        }
        ready.resume(returning: .success(()))
        thread.serve(queue)
    }

    /// Names the calling OS thread (as `top -H` and `gdb` show it) through
    /// `/proc/thread-self/comm` (`pthread_setname_np` is not exported by Glibc's module).
    private static func nameCurrentThread(_ name: String) {
        let fd = Glibc.open("/proc/thread-self/comm", O_WRONLY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = String(name.prefix(15)).utf8CString.withUnsafeBufferPointer { Glibc.write(fd, $0.baseAddress, $0.count - 1) }
        Glibc.close(fd)
    }
}
