import Synchronization
import Glibc

/// Runs async work from synchronous start-up and shutdown code and waits for it.
/// Only for the main thread before the loops start or after they stop: it blocks.
func blocking<T: Sendable>(_ work: @escaping @Sendable () async throws -> T) throws -> T {
    let box = BlockingBox<Result<T, any Error>>()
    Task {
        do {
            box.put(.success(try await work()))
        } catch {
            box.put(.failure(error))
        }
    }
    return try box.take().get()
}

func blocking(_ work: @escaping @Sendable () async -> Void) {
    let box = BlockingBox<Void>()
    Task {
        await work()
        box.put(())
    }
    box.take()
}

/// One value handed from a task to a waiting thread.
private final class BlockingBox<T: Sendable>: Sendable {
    private let value = Mutex<T?>(nil)

    func put(_ result: T) {
        value.withLock { $0 = result }
    }

    func take() -> T {
        while true {
            if let result = value.withLock({ $0 }) { return result }
            usleep(1000)
        }
    }
}
