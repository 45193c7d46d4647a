import Synchronization

/// The process' metrics, rendered in the Prometheus text format by ``exposition()``.
///
/// Registration takes a lock and happens at start-up; updating a registered metric
/// takes none. Names follow the Prometheus conventions (`hubbub_messages_sent_total`,
/// `_seconds`, `_bytes`); an invalid or duplicate name, or an invalid label name, is a
/// programming error and traps.
public final class MetricsRegistry: Sendable {
    /// The `Content-Type` of ``exposition()``.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    private let families = Mutex<[String: any ExposedFamily]>([:])

    public init() {}

    // MARK: Counters

    public func counter(_ name: String, help: String) -> Counter {
        counter(name, help: help, labels: []).labels([])
    }

    public func counter(_ name: String, help: String, labels: [String]) -> MetricFamily<Counter> {
        let family = MetricFamily<Counter>(
            name: name, help: help, type: .counter, labelNames: labels, make: { Counter() },
            render: { counter, name, labels, output in
                output.sample(name: name, labels: labels, value: PrometheusText.format(counter.value))
            })
        register(family, labels: labels)
        return family
    }

    // MARK: Gauges

    public func gauge(_ name: String, help: String) -> Gauge {
        gauge(name, help: help, labels: []).labels([])
    }

    public func gauge(_ name: String, help: String, labels: [String]) -> MetricFamily<Gauge> {
        let family = MetricFamily<Gauge>(
            name: name, help: help, type: .gauge, labelNames: labels, make: { Gauge() },
            render: { gauge, name, labels, output in
                output.sample(name: name, labels: labels, value: PrometheusText.format(gauge.value))
            })
        register(family, labels: labels)
        return family
    }

    // MARK: Histograms

    public func histogram(_ name: String, help: String, buckets: [Double]) -> Histogram {
        histogram(name, help: help, labels: [], buckets: buckets).labels([])
    }

    public func histogram(_ name: String, help: String, labels: [String], buckets: [Double]) -> MetricFamily<Histogram> {
        let family = MetricFamily<Histogram>(
            name: name, help: help, type: .histogram, labelNames: labels, make: { Histogram(upperBounds: buckets) },
            render: { histogram, name, labels, output in
                Self.write(histogram.snapshot, name: name, labels: labels, to: &output)
            })
        register(family, labels: labels)
        return family
    }

    // MARK: Collected at scrape time

    /// A gauge read by `value` at each scrape (queue depth, connection count owned by
    /// another component). `value` returning nil leaves the metric out of that scrape.
    public func collectedGauge(_ name: String, help: String, _ value: @escaping @Sendable () -> Double?) {
        collected(name, help: help, type: .gauge, labels: []) {
            value().map { [CollectedSample(value: $0)] } ?? []
        }
    }

    /// A counter or gauge with any labels, every sample read by `samples` at each scrape.
    /// Samples with the wrong number of label values are left out.
    public func collected(
        _ name: String, help: String, type: MetricType, labels: [String],
        _ samples: @escaping @Sendable () -> [CollectedSample]
    ) {
        precondition(type != .histogram, "collected metrics are counters or gauges")
        register(CollectedFamily(name: name, help: help, type: type, labelNames: labels, collect: samples), labels: labels)
    }

    // MARK: Exposition

    /// Every metric with at least one sample, families sorted by name, children by
    /// label values: the body of a `GET /metrics` response (``contentType``).
    public func exposition() -> String {
        let all = families.withLock { $0.values.sorted { $0.name < $1.name } }
        var output = PrometheusText()
        for family in all {
            family.write(to: &output)
        }
        return output.text
    }

    // MARK: Internals

    private func register(_ family: any ExposedFamily, labels: [String]) {
        precondition(MetricName.isValidMetricName(family.name), "invalid metric name \(family.name)")
        for label in labels {
            precondition(MetricName.isValidLabelName(label), "invalid label name \(label) on \(family.name)")
        }
        precondition(Set(labels).count == labels.count, "duplicate label name on \(family.name)")
        families.withLock { families in
            precondition(families[family.name] == nil, "metric \(family.name) registered twice")
            families[family.name] = family
        }
    }

    static func write(_ snapshot: HistogramSnapshot, name: String, labels: [(String, String)], to output: inout PrometheusText) {
        for (index, bound) in snapshot.upperBounds.enumerated() {
            output.sample(name: name + "_bucket", labels: labels + [("le", PrometheusText.format(bound))],
                          value: PrometheusText.format(snapshot.cumulativeCounts[index]))
        }
        output.sample(name: name + "_bucket", labels: labels + [("le", "+Inf")], value: PrometheusText.format(snapshot.count))
        output.sample(name: name + "_sum", labels: labels, value: PrometheusText.format(snapshot.sum))
        output.sample(name: name + "_count", labels: labels, value: PrometheusText.format(snapshot.count))
    }
}
