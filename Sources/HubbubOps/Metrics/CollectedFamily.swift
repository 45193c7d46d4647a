/// One sample of a collected metric: its label values (one per label name) and value.
public struct CollectedSample: Sendable {
    public var labelValues: [String]
    public var value: Double

    public init(labelValues: [String] = [], value: Double) {
        self.labelValues = labelValues
        self.value = value
    }
}

/// A gauge or counter whose value is owned elsewhere (a queue's depth, the process'
/// CPU time) and read by a closure at scrape time. The closure runs on the scraping
/// thread, outside any registry lock; it must be quick and thread-safe.
final class CollectedFamily: ExposedFamily {
    let name: String
    let help: String
    let type: MetricType
    let labelNames: [String]
    private let collect: @Sendable () -> [CollectedSample]

    init(name: String, help: String, type: MetricType, labelNames: [String],
         collect: @escaping @Sendable () -> [CollectedSample]) {
        self.name = name
        self.help = help
        self.type = type
        self.labelNames = labelNames
        self.collect = collect
    }

    func write(to output: inout PrometheusText) {
        let samples = collect().filter { $0.labelValues.count == labelNames.count }
        guard !samples.isEmpty else { return }
        output.header(name: name, help: help, type: type)
        for sample in samples.sorted(by: { $0.labelValues.lexicographicallyPrecedes($1.labelValues) }) {
            output.sample(name: name, labels: Array(zip(labelNames, sample.labelValues)),
                          value: PrometheusText.format(sample.value))
        }
    }
}
