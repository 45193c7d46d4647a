import Synchronization

/// A value that goes up and down (Prometheus type `gauge`): connections, rooms.
///
/// Every operation is one relaxed atomic: no lock, safe from any thread. For a value
/// owned elsewhere (a queue's depth), register a collected gauge instead
/// (``MetricsRegistry/collectedGauge(_:help:_:)``), read at scrape time.
public final class Gauge: Sendable {
    @usableFromInline let storage = Atomic<Int64>(0)

    public init() {}

    @inlinable
    public func set(_ value: Int64) {
        storage.store(value, ordering: .relaxed)
    }

    @inlinable
    public func increment(by amount: Int64 = 1) {
        storage.wrappingAdd(amount, ordering: .relaxed)
    }

    @inlinable
    public func decrement(by amount: Int64 = 1) {
        storage.wrappingSubtract(amount, ordering: .relaxed)
    }

    /// The current value.
    @inlinable
    public var value: Int64 {
        storage.load(ordering: .relaxed)
    }
}
