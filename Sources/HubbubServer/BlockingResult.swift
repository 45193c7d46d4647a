import Dispatch
import Synchronization

/// A value handed from a loop thread to a thread that blocks for it (used at
/// start-up and shutdown, never on a loop thread).
final class BlockingResult<T: Sendable>: Sendable {
    private let value = Mutex<Result<T, any Error>?>(nil)
    private let semaphore = DispatchSemaphore(value: 0)

    func set(_ result: Result<T, any Error>) {
        value.withLock { $0 = result }
        semaphore.signal()
    }

    func wait() -> Result<T, any Error> {
        semaphore.wait()
        return value.withLock { $0! }
    }
}
