import Testing

@testable import HubbubOps

@Suite struct ConcurrencyTests {
    static let threads = 8
    static let perThread = 20_000

    @Test func countersGaugesAndHistogramsLoseNoUpdate() async {
        let registry = MetricsRegistry()
        let counter = registry.counter("c_total", help: "c")
        let gauge = registry.gauge("g", help: "g")
        let histogram = registry.histogram("h_seconds", help: "h", buckets: [0.5])
        let family = registry.counter("f_total", help: "f", labels: ["k"])
        await withTaskGroup(of: Void.self) { group in
            for thread in 0..<Self.threads {
                group.addTask {
                    let child = family.labels(thread.isMultiple(of: 2) ? "even" : "odd")
                    for index in 0..<Self.perThread {
                        counter.increment()
                        gauge.increment(by: 2)
                        gauge.decrement()
                        histogram.observe(index.isMultiple(of: 2) ? 0.25 : 1)
                        child.increment()
                    }
                }
            }
        }
        let total = Int64(Self.threads * Self.perThread)
        #expect(counter.value == total)
        #expect(gauge.value == total)
        let snapshot = histogram.snapshot
        #expect(snapshot.count == total)
        #expect(snapshot.cumulativeCounts[0] == total / 2)
        #expect(snapshot.sum == Double(total / 2) * 0.25 + Double(total / 2))  // exact in binary
        #expect(family.labels("even").value + family.labels("odd").value == total)
    }

    @Test func scrapingWhileUpdatingIsSafe() async {
        let metrics = HubMetrics(processMetrics: false)
        let done = Gauge()  // 1 once the writer has finished
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                for _ in 0..<Self.perThread {
                    metrics.command(type: "join", result: "ok")
                    metrics.command(type: "new_type", result: "ok")  // through the family's lock
                    metrics.fanoutSeconds.observe(0.002)
                }
                done.set(1)
            }
            group.addTask {
                while done.value == 0 {
                    let text = metrics.exposition()
                    #expect(text.contains("# TYPE hubbub_fanout_seconds histogram"))
                }
            }
        }
        let text = metrics.exposition()
        #expect(text.contains("hubbub_commands_total{type=\"join\",result=\"ok\"} \(Self.perThread)\n"))
        #expect(text.contains("hubbub_commands_total{type=\"new_type\",result=\"ok\"} \(Self.perThread)\n"))
    }
}
