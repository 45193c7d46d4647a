import Synchronization

/// The name of the first shutdown signal received.
final class SignalName: Sendable {
    private let name = Mutex<String?>(nil)

    func set(_ value: String) {
        name.withLock { if $0 == nil { $0 = value } }
    }

    func get() -> String {
        name.withLock { $0 ?? "signal" }
    }
}
