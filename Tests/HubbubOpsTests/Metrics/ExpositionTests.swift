import Testing

@testable import HubbubOps

@Suite struct ExpositionTests {
    @Test func countersAndGaugesMatchTheGoldenText() {
        let registry = MetricsRegistry()
        let sent = registry.counter("hubbub_messages_sent_total", help: "Messages sent.")
        let connections = registry.gauge("hubbub_connections", help: "Open connections.")
        let commands = registry.counter("hubbub_commands_total", help: "Commands.", labels: ["type", "result"])
        sent.increment(by: 41)
        sent.increment()
        connections.increment(by: 3)
        connections.decrement()
        commands.labels("join", "ok").increment(by: 2)
        commands.labels("comment", "too_large").increment()
        #expect(registry.exposition() == """
            # HELP hubbub_commands_total Commands.
            # TYPE hubbub_commands_total counter
            hubbub_commands_total{type="comment",result="too_large"} 1
            hubbub_commands_total{type="join",result="ok"} 2
            # HELP hubbub_connections Open connections.
            # TYPE hubbub_connections gauge
            hubbub_connections 2
            # HELP hubbub_messages_sent_total Messages sent.
            # TYPE hubbub_messages_sent_total counter
            hubbub_messages_sent_total 42

            """)
    }

    @Test func histogramHasCumulativeBucketsSumAndCount() {
        let registry = MetricsRegistry()
        let latency = registry.histogram("op_seconds", help: "Latency.", labels: ["operation"], buckets: [0.005, 0.1, 1])
        let commit = latency.labels("commit")
        commit.observe(0.001)
        commit.observe(0.005)  // le is inclusive
        commit.observe(0.5)
        commit.observe(7)
        #expect(registry.exposition() == """
            # HELP op_seconds Latency.
            # TYPE op_seconds histogram
            op_seconds_bucket{operation="commit",le="0.005"} 2
            op_seconds_bucket{operation="commit",le="0.1"} 2
            op_seconds_bucket{operation="commit",le="1"} 3
            op_seconds_bucket{operation="commit",le="+Inf"} 4
            op_seconds_sum{operation="commit"} 7.506
            op_seconds_count{operation="commit"} 4

            """)
    }

    @Test func histogramTakesNanosecondsAndDurations() {
        let histogram = Histogram(upperBounds: [0.001, 1])
        histogram.observe(nanoseconds: 500_000)
        histogram.observe(.milliseconds(20))
        let snapshot = histogram.snapshot
        #expect(snapshot.cumulativeCounts == [1, 2, 2])
        #expect(abs(snapshot.sum - 0.0205) < 1e-12)
        #expect(snapshot.count == 2)
    }

    @Test func labelValuesAndHelpAreEscaped() {
        let registry = MetricsRegistry()
        let family = registry.counter("weird_total", help: "Back\\slash and\nnewline.", labels: ["path"])
        family.labels("a\"b\\c\nd").increment()
        #expect(registry.exposition() == #"""
            # HELP weird_total Back\\slash and\nnewline.
            # TYPE weird_total counter
            weird_total{path="a\"b\\c\nd"} 1

            """#)
    }

    @Test func collectedMetricsAreReadAtScrapeTime() {
        let registry = MetricsRegistry()
        let depth = Counter()
        registry.collectedGauge("queue_depth", help: "Depth.") { Double(depth.value) }
        registry.collectedGauge("absent", help: "Never there.") { nil }
        registry.collected("pool_size", help: "Pools.", type: .gauge, labels: ["pool"]) {
            [CollectedSample(labelValues: ["b"], value: 2.5), CollectedSample(labelValues: ["a"], value: 1)]
        }
        depth.increment(by: 7)
        #expect(registry.exposition() == """
            # HELP pool_size Pools.
            # TYPE pool_size gauge
            pool_size{pool="a"} 1
            pool_size{pool="b"} 2.5
            # HELP queue_depth Depth.
            # TYPE queue_depth gauge
            queue_depth 7

            """)
        depth.increment()
        #expect(registry.exposition().contains("queue_depth 8\n"))
    }

    @Test func labelledFamilyWithoutChildrenIsLeftOut() {
        let registry = MetricsRegistry()
        _ = registry.counter("unused_total", help: "Nothing yet.", labels: ["kind"])
        #expect(registry.exposition() == "")
    }

    @Test func valuesAreFormattedLikePrometheus() {
        #expect(PrometheusText.format(1.0) == "1")
        #expect(PrometheusText.format(0.005) == "0.005")
        #expect(PrometheusText.format(-3.0) == "-3")
        #expect(PrometheusText.format(Double.infinity) == "+Inf")
        #expect(PrometheusText.format(-Double.infinity) == "-Inf")
        #expect(PrometheusText.format(Double.nan) == "NaN")
        #expect(PrometheusText.format(1e20) == "1e+20")
    }

    @Test func namesFollowTheDataModel() {
        #expect(MetricName.isValidMetricName("hubbub_fanout_seconds"))
        #expect(MetricName.isValidMetricName("ns:rule_total"))
        #expect(!MetricName.isValidMetricName("9lives"))
        #expect(!MetricName.isValidMetricName("with-dash"))
        #expect(!MetricName.isValidMetricName(""))
        #expect(MetricName.isValidLabelName("operation"))
        #expect(!MetricName.isValidLabelName("__reserved"))
        #expect(!MetricName.isValidLabelName("le"))
        #expect(!MetricName.isValidLabelName("a:b"))
    }

    @Test func bucketHelpers() {
        #expect(Histogram.byteBuckets.first == 1024)
        #expect(Histogram.byteBuckets.last == Double(16 << 20))
        #expect(Histogram.exponentialBuckets(start: 1, factor: 2, count: 4) == [1, 2, 4, 8])
    }
}
