import HubbubIO

/// The machine-readable result: every figure of the summary, in plain units
/// (seconds, milliseconds, KiB, bytes).
extension Report {
    var json: JSONValue {
        let totals = result.totals
        let latency = latencyJSON(result.latency)
        let perThread = result.clientCPUPerThread(threads: settings.threads)
        return .object([
            ("url", .string(settings.target.description)),
            ("mode", .string(settings.mode.rawValue)),
            ("io", .string(result.backend.rawValue)),
            ("threads", .int(settings.threads)),
            ("connections", .int(settings.connections)),
            ("connected", .int(totals.connected)),
            ("errors", .int(result.errors)),
            ("error_counts", .object(hubErrorCounts + [
                ("connect_failures", .int(totals.connectFailures)),
                ("handshake_failures", .int(totals.handshakeFailures)),
                ("connect_timeouts", .int(totals.connectsAborted + result.notAttempted)),
                ("protocol_errors", .int(totals.protocolErrors)),
                ("unexpected_closes", .int(totals.unexpectedCloses)),
                ("close_failures", .int(totals.closeFailures)),
                ("sends_refused", .int(totals.sendsRefused)),
            ])),
            ("error_messages", .array(totals.errorMessages.map { .string($0) })),
            ("connect_seconds", .number(result.connectSeconds, decimals: 4)),
            ("connects_per_second", .number(result.connectsPerSecond, decimals: 1)),
            ("duration_seconds", .number(result.measuredSeconds, decimals: 4)),
            ("message_size", .int(settings.messageSize)),
            ("rate", .number(settings.rate, decimals: 3)),
            ("messages_sent", .int(totals.messagesSent)),
            ("messages_received", .int(totals.messagesReceived)),
            ("messages_unanswered", .int(totals.messagesUnanswered)),
            ("sends_skipped", .int(totals.sendsSkipped)),
            ("messages_per_second", .number(result.messagesPerSecond, decimals: 1)),
            ("latency_ms", latency),
            ("hub", hubJSON),
            ("closed_cleanly", .int(totals.closedCleanly)),
            ("server", serverJSON),
            ("client_cpu_seconds", .number(result.clientCPUSeconds, decimals: 3)),
            ("client_cpu_per_thread", .number(perThread, decimals: 3)),
            ("client_saturated", .bool(clientSaturated)),
            ("interrupted", .bool(result.interrupted)),
            ("success", .bool(result.succeeded(asked: settings.connections))),
        ])
    }

    /// Percentiles in milliseconds; null fields when nothing was timed.
    func latencyJSON(_ summary: LatencySummary?) -> JSONValue {
        guard let summary else {
            return .object([
                ("p50", .null), ("p90", .null), ("p99", .null), ("p999", .null), ("max", .null), ("mean", .null), ("count", .int(0)),
            ])
        }
        func ms(_ ns: UInt64) -> JSONValue { .number(Double(ns) / 1e6, decimals: 4) }
        return .object([
            ("p50", ms(summary.p50)), ("p90", ms(summary.p90)), ("p99", ms(summary.p99)), ("p999", ms(summary.p999)),
            ("max", ms(summary.max)), ("mean", .number(summary.mean / 1e6, decimals: 4)),
            ("count", .int(summary.count)), ("samples", .int(summary.samples)),
        ])
    }

    /// Hub mode: the hub's error kinds, first in `error_counts`.
    private var hubErrorCounts: [(String, JSONValue)] {
        guard settings.hub != nil else { return [] }
        let counters = result.totals.hub
        return [
            ("joins_lost", .int(counters.joinsLost)), ("join_timeouts", .int(result.joinTimeouts)),
            ("error_replies", .int(counters.errorReplies)), ("protocol_anomalies", .int(counters.anomalies)),
        ]
    }

    private var serverJSON: JSONValue {
        guard let server = result.server else { return .null }
        return .object([
            ("pid", .int(Int(server.pid))),
            ("rss_before_kb", .int(server.rssBeforeKB)),
            ("rss_idle_kb", .int(server.rssIdleKB)),
            ("rss_end_kb", .int(server.rssEndKB)),
            ("rss_after_close_kb", .int(server.rssAfterCloseKB)),
            ("peak_rss_kb", .int(server.peakRSSKB)),
            ("connected_at_idle", .int(server.connectedAtIdle)),
            ("idle_bytes_per_connection", .number(server.idleBytesPerConnection, decimals: 0)),
            ("cpu_seconds", .number(server.cpuSeconds, decimals: 3)),
            ("cpu_cores", .number(server.cpuSeconds.map { result.measuredSeconds > 0 ? $0 / result.measuredSeconds : 0 }, decimals: 3)),
        ])
    }

    /// Writes the JSON to `path` (replacing it).
    func writeJSON(to path: String) throws {
        try TextFile.write(json.rendered() + "\n", to: path, option: "--json")
    }
}
