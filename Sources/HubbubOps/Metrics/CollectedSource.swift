import Synchronization

/// A closure installed after start-up (the mailer's queue depth), read at scrape time.
/// The lock guards only swapping and copying the closure, never the hot path.
final class CollectedSource: Sendable {
    private let source = Mutex<(@Sendable () -> Int)?>(nil)

    init() {}

    func set(_ closure: @escaping @Sendable () -> Int) {
        source.withLock { $0 = closure }
    }

    /// The current value, or nil while no closure is installed.
    func read() -> Double? {
        let closure = source.withLock { $0 }
        return closure.map { Double($0()) }
    }
}
