import Synchronization

/// A metric with labels: one child metric (a ``Counter``, ``Gauge`` or ``Histogram``) per
/// combination of label values, created on first use.
///
/// `labels(...)` takes a lock to find or create the child; the child's own operations
/// take none. On a hot path, resolve children once and keep them (``HubMetrics`` does).
/// Children are never removed, so keep label values to a small, bounded set (never user
/// or room ids).
public final class MetricFamily<Metric: AnyObject & Sendable>: Sendable {
    public let name: String
    public let help: String
    public let labelNames: [String]
    let type: MetricType
    private let make: @Sendable () -> Metric
    private let render: @Sendable (Metric, String, [(String, String)], inout PrometheusText) -> Void
    private let children = Mutex<[[String]: Metric]>([:])

    init(
        name: String, help: String, type: MetricType, labelNames: [String],
        make: @escaping @Sendable () -> Metric,
        render: @escaping @Sendable (Metric, String, [(String, String)], inout PrometheusText) -> Void
    ) {
        self.name = name
        self.help = help
        self.type = type
        self.labelNames = labelNames
        self.make = make
        self.render = render
    }

    /// The child for these label values, one per label name in order (a different count
    /// is a programming error and traps).
    public func labels(_ values: String...) -> Metric {
        labels(values)
    }

    /// The child for these label values, one per label name in order.
    public func labels(_ values: [String]) -> Metric {
        precondition(values.count == labelNames.count,
                     "\(name) has labels \(labelNames), given \(values.count) values")
        return children.withLock { children in
            if let existing = children[values] { return existing }
            let created = make()
            children[values] = created
            return created
        }
    }

    /// Every child so far, sorted by label values.
    func sortedChildren() -> [([String], Metric)] {
        let all = children.withLock { Array($0) }
        return all.sorted { $0.key.lexicographicallyPrecedes($1.key) }.map { ($0.key, $0.value) }
    }
}

extension MetricFamily: ExposedFamily {
    func write(to output: inout PrometheusText) {
        let all = sortedChildren()
        guard !all.isEmpty else { return }
        output.header(name: name, help: help, type: type)
        for (values, child) in all {
            render(child, name, Array(zip(labelNames, values)), &output)
        }
    }
}
