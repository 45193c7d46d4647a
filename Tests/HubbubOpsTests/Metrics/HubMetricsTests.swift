import Testing

@testable import HubbubOps

@Suite struct HubMetricsTests {
    @Test func everyHubMetricIsExposedUnderItsName() {
        let metrics = HubMetrics()
        metrics.connections.increment()
        metrics.rooms.set(3)
        metrics.messagesReceived.increment()
        metrics.messagesSent.increment(by: 10)
        metrics.fanoutSeconds.observe(nanoseconds: 1_000_000)
        metrics.sendQueueBytes.observe(2048)
        metrics.slowConsumerCloses.increment()
        metrics.storeOperation("commit", nanoseconds: 3_000_000)
        metrics.brokerSeconds.observe(0.0001)
        metrics.email(.sent)
        metrics.email(.dead)
        metrics.setIOBackend("uring")
        metrics.command(type: "join", result: "ok")
        metrics.command(type: "comment", result: "rate_limited")
        metrics.setEmailQueueDepth { 12 }
        let text = metrics.exposition()
        for line in [
            "hubbub_connections 1", "hubbub_rooms 3", "hubbub_messages_received_total 1",
            "hubbub_messages_sent_total 10", "hubbub_fanout_seconds_bucket{le=\"0.001\"} 1",
            "hubbub_fanout_seconds_count 1", "hubbub_send_queue_bytes_bucket{le=\"4096\"} 1",
            "hubbub_slow_consumer_closes_total 1", "hubbub_store_seconds_count{operation=\"commit\"} 1",
"hubbub_broker_seconds_count 1",
            "hubbub_email_queue_depth 12", "hubbub_emails_total{result=\"sent\"} 1",
            "hubbub_emails_total{result=\"retried\"} 0", "hubbub_emails_total{result=\"dead\"} 1",
            "hubbub_io_backend{backend=\"uring\"} 1", "hubbub_commands_total{type=\"join\",result=\"ok\"} 1",
            "hubbub_commands_total{type=\"comment\",result=\"rate_limited\"} 1",
            "# TYPE process_cpu_seconds_total counter", "# TYPE process_resident_memory_bytes gauge",
            "# TYPE process_open_fds gauge",
        ] {
            #expect(text.contains(line + "\n"), "missing: \(line)")
        }
    }

    @Test func onlyCountedCommandsAndOperationsAreExposed() {
        let metrics = HubMetrics(processMetrics: false)
        metrics.command(type: "join", result: "ok")
        metrics.command(type: "join", result: "ok")
        metrics.storeOperation("commit", nanoseconds: 1)
        let text = metrics.exposition()
        #expect(text.contains("hubbub_commands_total{type=\"join\",result=\"ok\"} 2\n"))
        #expect(!text.contains("type=\"leave\""))
        #expect(!text.contains("operation=\"events\""))
        #expect(text.contains("hubbub_emails_total{result=\"retried\"} 0\n"))
    }

    @Test func emailQueueDepthIsLeftOutUntilASourceIsSet() {
        let metrics = HubMetrics(processMetrics: false)
        #expect(!metrics.exposition().contains("hubbub_email_queue_depth"))
        metrics.setEmailQueueDepth { 0 }
        #expect(metrics.exposition().contains("hubbub_email_queue_depth 0\n"))
    }

    @Test func processMetricsReadProc() throws {
        let stat = try #require(ProcessMetrics.readStat())
        #expect(stat.residentPages > 0)
        let open = try #require(ProcessMetrics.openDescriptorCount())
        #expect(open >= 3)  // stdin, stdout, stderr at least
    }

    @Test func procStatParserSkipsTheCommandName() {
        // A command name with spaces and a parenthesis, as the kernel writes it.
        let text = "4242 (hub (b) x) S 1 4242 4242 0 -1 4194560 500 0 0 0 125 37 0 0 20 0 9 0 8800 123456789 3000 18446744073709551615\n"
        #expect(ProcSelfStat.parse(text) == ProcSelfStat(
            userTicks: 125, systemTicks: 37, startTicks: 8800, virtualBytes: 123_456_789, residentPages: 3000))
        #expect(ProcSelfStat.parse("garbage") == nil)
        #expect(ProcSelfStat.parse("1 (x) S 1 2") == nil)
        #expect(ProcSelfStat.parseBootTime("cpu 1 2 3\nbtime 1700000000\nprocesses 9\n") == 1_700_000_000)
    }
}
