import Synchronization

/// A `Double` that is only ever added to, stored as its bit pattern in an
/// `Atomic<UInt64>` and updated with a compare-and-exchange loop: lock-free (a
/// writer retries only when another write landed between its load and its exchange).
final class AtomicDoubleSum: Sendable {
    private let bits = Atomic<UInt64>(Double(0).bitPattern)

    init() {}

    @inline(__always)
    func add(_ amount: Double) {
        var current = bits.load(ordering: .relaxed)
        while true {
            let next = (Double(bitPattern: current) + amount).bitPattern
            let (exchanged, original) = bits.weakCompareExchange(
                expected: current, desired: next, ordering: .relaxed)
            if exchanged { return }
            current = original
        }
    }

    var value: Double {
        Double(bitPattern: bits.load(ordering: .relaxed))
    }
}
