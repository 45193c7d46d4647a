/// Children of a one- or two-label family resolved up front into immutable
/// dictionaries, so a lookup with a known value takes no lock; an unknown value falls
/// back to the family (which locks, and creates the child once).
struct PreparedChildren<Metric: AnyObject & Sendable>: Sendable {
    private let family: MetricFamily<Metric>
    private let table: [String: [String: Metric]]

    /// For a two-label family: every combination of `first` and `second` values.
    init(family: MetricFamily<Metric>, first: [String], second: [String]) {
        precondition(family.labelNames.count == 2)
        self.family = family
        var table: [String: [String: Metric]] = [:]
        for a in first {
            var row: [String: Metric] = [:]
            for b in second { row[b] = family.labels(a, b) }
            table[a] = row
        }
        self.table = table
    }

    /// For a one-label family: each of `values`.
    init(family: MetricFamily<Metric>, values: [String]) {
        precondition(family.labelNames.count == 1)
        self.family = family
        var row: [String: Metric] = [:]
        for value in values { row[value] = family.labels(value) }
        self.table = ["": row]
    }

    func child(_ first: String, _ second: String) -> Metric {
        table[first]?[second] ?? family.labels(first, second)
    }

    func child(_ value: String) -> Metric {
        table[""]?[value] ?? family.labels(value)
    }
}
