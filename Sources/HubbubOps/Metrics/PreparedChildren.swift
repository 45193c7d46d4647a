import Synchronization

/// Children of a one- or two-label family looked up without a lock: the known label
/// values index an immutable table of slots, each an `AtomicLazyReference` filled with
/// the family's child on first use (so only combinations that occurred are exposed,
/// unless `eager` creates them all up front, to show zeros). An unknown value falls
/// back to the family, which locks.
struct PreparedChildren<Metric: AnyObject & Sendable>: Sendable {
    private let family: MetricFamily<Metric>
    private let table: [String: [String: Slot]]

    /// One lazily resolved child.
    private final class Slot: Sendable {
        let child = AtomicLazyReference<Metric>()
    }

    /// For a two-label family: every combination of `first` and `second` values.
    init(family: MetricFamily<Metric>, first: [String], second: [String], eager: Bool = false) {
        precondition(family.labelNames.count == 2)
        self.family = family
        var table: [String: [String: Slot]] = [:]
        for a in first {
            var row: [String: Slot] = [:]
            for b in second {
                let slot = Slot()
                if eager { _ = slot.child.storeIfNil(family.labels(a, b)) }
                row[b] = slot
            }
            table[a] = row
        }
        self.table = table
    }

    /// For a one-label family: each of `values`.
    init(family: MetricFamily<Metric>, values: [String], eager: Bool = false) {
        precondition(family.labelNames.count == 1)
        self.family = family
        var row: [String: Slot] = [:]
        for value in values {
            let slot = Slot()
            if eager { _ = slot.child.storeIfNil(family.labels(value)) }
            row[value] = slot
        }
        self.table = ["": row]
    }

    func child(_ first: String, _ second: String) -> Metric {
        guard let slot = table[first]?[second] else { return family.labels(first, second) }
        if let child = slot.child.load() { return child }
        // Racing threads get the same child: the family creates it once.
        return slot.child.storeIfNil(family.labels(first, second))
    }

    func child(_ value: String) -> Metric {
        guard let slot = table[""]?[value] else { return family.labels(value) }
        if let child = slot.child.load() { return child }
        return slot.child.storeIfNil(family.labels(value))
    }
}
