import Glibc
import HubbubIO

/// The machine-readable result: every figure of the summary, in plain units
/// (seconds, milliseconds, KiB, bytes).
extension Report {
    var json: JSONValue {
        let totals = result.totals
        var latency: JSONValue = .object([
            ("p50", .null), ("p90", .null), ("p99", .null), ("p999", .null), ("max", .null), ("mean", .null), ("count", .int(0)),
        ])
        if let summary = result.latency {
            func ms(_ ns: UInt64) -> JSONValue { .number(Double(ns) / 1e6, decimals: 4) }
            latency = .object([
                ("p50", ms(summary.p50)), ("p90", ms(summary.p90)), ("p99", ms(summary.p99)), ("p999", ms(summary.p999)),
                ("max", ms(summary.max)), ("mean", .number(summary.mean / 1e6, decimals: 4)),
                ("count", .int(summary.count)), ("samples", .int(summary.samples)),
            ])
        }
        let perThread = result.clientCPUPerThread(threads: settings.threads)
        return .object([
            ("url", .string(settings.target.description)),
            ("mode", .string(settings.mode.rawValue)),
            ("io", .string(result.backend.rawValue)),
            ("threads", .int(settings.threads)),
            ("connections", .int(settings.connections)),
            ("connected", .int(totals.connected)),
            ("errors", .int(result.errors)),
            ("error_counts", .object([
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
            ("closed_cleanly", .int(totals.closedCleanly)),
            ("server", serverJSON),
            ("client_cpu_seconds", .number(result.clientCPUSeconds, decimals: 3)),
            ("client_cpu_per_thread", .number(perThread, decimals: 3)),
            ("client_saturated", .bool(clientSaturated)),
            ("interrupted", .bool(result.interrupted)),
            ("success", .bool(result.succeeded(asked: settings.connections))),
        ])
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
        let bytes = Array((json.rendered() + "\n").utf8)
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw LoadError("--json \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if written > 0 {
                offset += written
            } else if written < 0 && errno == EINTR {
                continue
            } else {
                throw LoadError("--json \(path): \(String(cString: strerror(errno)))")
            }
        }
    }
}
