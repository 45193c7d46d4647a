/// Something the registry can render at scrape time: a family of live metrics or a
/// collected one.
protocol ExposedFamily: Sendable {
    var name: String { get }
    /// Writes HELP, TYPE and every sample; nothing at all when there is no sample.
    func write(to output: inout PrometheusText)
}
