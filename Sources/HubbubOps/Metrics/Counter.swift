import Synchronization

/// A monotonically increasing count (Prometheus type `counter`).
///
/// `increment` is one relaxed atomic add, inlined into the caller: no lock, safe from
/// any thread. Resolve a handle once (from the registry or a labelled family) and keep
/// it; the value only goes up, and a negative increment is a programming error (checked
/// in debug builds). Every core incrementing one counter shares its cache line: on a
/// per-recipient path, add the batch's count once (`increment(by: recipients)`).
public final class Counter: Sendable {
    @usableFromInline let storage = Atomic<Int64>(0)

    public init() {}

    /// Adds `amount` (at least 0).
    @inlinable
    public func increment(by amount: Int64 = 1) {
        assert(amount >= 0, "a counter only goes up")
        storage.wrappingAdd(amount, ordering: .relaxed)
    }

    /// The current count.
    @inlinable
    public var value: Int64 {
        storage.load(ordering: .relaxed)
    }
}
