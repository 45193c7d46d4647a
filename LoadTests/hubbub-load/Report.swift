/// The human summary of a run (stdout) and its JSON (`--json`, in `Report+JSON.swift`).
struct Report {
    let settings: LoadSettings
    let result: LoadResult

    /// Above this CPU use per client thread the client may be what limits the figures.
    static let saturationThreshold = 0.9

    var clientSaturated: Bool {
        result.clientCPUPerThread(threads: settings.threads) > Self.saturationThreshold
    }

    var text: String {
        var lines: [String] = []
        let threads = settings.threads == 1 ? "1 client thread" : "\(settings.threads) client threads"
        lines.append("hubbub-load \(settings.mode) \(settings.target) (client io \(result.backend), \(threads))")
        lines.append(row("connections", connectionsLine))
        switch settings.mode {
        case .echo:
            lines.append(row("messages", messagesLine))
            lines.append(row("latency", latencyLine))
        case .idle:
            lines.append(row("held", "\(seconds(result.measuredSeconds)) s idle"))
        case .hub:
            lines.append(contentsOf: hubLines)
        }
        lines.append(row("errors", errorsLine))
        for message in result.totals.errorMessages {
            lines.append(row("", "e.g. \(message)"))
        }
        lines.append(row("closing", "\(result.totals.closedCleanly) closed with 1000, \(result.totals.closeFailures) failed"))
        if let server = result.server {
            lines.append(contentsOf: serverLines(server))
        }
        let perThread = result.clientCPUPerThread(threads: settings.threads)
        lines.append(row("client", "CPU \(seconds(result.clientCPUSeconds)) s in the measured phase (\(percent(perThread)) of a core per thread)"))
        if clientSaturated {
            lines.append(row("note", "the load generator was busy more than 90% of the time on each of its threads:"))
            lines.append(row("", "it may be the bottleneck; try --threads \(settings.threads + 1) or another machine"))
        }
        if result.interrupted {
            lines.append(row("note", "interrupted: the figures cover only part of the run"))
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private var connectionsLine: String {
        let totals = result.totals
        var line = "\(totals.connected)/\(settings.connections) connected in \(seconds(result.connectSeconds)) s"
        line += " (\(Int(result.connectsPerSecond.rounded())) connects/s)"
        return line
    }

    private var messagesLine: String {
        let totals = result.totals
        let pacing = settings.sendInterval == nil ? "closed loop" : "\(decimal(settings.rate)) msg/s per connection"
        var line = "\(Int(result.messagesPerSecond.rounded())) msgs/s over \(seconds(result.measuredSeconds)) s"
        line += " (\(settings.messageSize) B, \(pacing)); \(totals.messagesSent) sent, \(totals.messagesReceived) echoed"
        if totals.sendsSkipped > 0 { line += ", \(totals.sendsSkipped) turns skipped (backlog)" }
        return line
    }

    private var latencyLine: String {
        guard let latency = result.latency else { return "no echoes" }
        return "p50 \(ms(latency.p50)) ms  p99 \(ms(latency.p99)) ms  p99.9 \(ms(latency.p999)) ms"
            + "  max \(ms(latency.max)) ms  (mean \(ms(latency.mean)) ms, \(latency.count) echoes)"
    }

    private var errorsLine: String {
        let totals = result.totals
        guard result.errors > 0 else { return "0" }
        let parts: [(String, Int)] = [
            ("connect failures", totals.connectFailures), ("handshake failures", totals.handshakeFailures),
            ("connect timeouts", totals.connectsAborted + result.notAttempted), ("protocol errors", totals.protocolErrors),
            ("unexpected closes", totals.unexpectedCloses), ("close failures", totals.closeFailures),
            ("sends refused", totals.sendsRefused),
        ] + hubErrorParts
        let listed = parts.filter { $0.1 > 0 }.map { "\($0.1) \($0.0)" }.joined(separator: ", ")
        var line = "\(result.errors): \(listed)"
        if totals.messagesUnanswered > 0 { line += "; \(totals.messagesUnanswered) messages never echoed" }
        return line
    }

    private func serverLines(_ server: ServerFigures) -> [String] {
        func mib(_ kb: Int?) -> String { kb.map { "\(decimal(Double($0) / 1024)) MiB" } ?? "n/a" }
        var lines = [
            row("server", "pid \(server.pid): RSS \(mib(server.rssBeforeKB)) before, \(mib(server.rssIdleKB)) idle, "
                + "\(mib(server.rssEndKB)) at end, \(mib(server.rssAfterCloseKB)) after close; peak \(mib(server.peakRSSKB))"),
        ]
        let perConnection = server.idleBytesPerConnection.map { "\(Int($0.rounded())) bytes per idle connection" } ?? "n/a per connection"
        var cpu = "CPU n/a"
        if let seconds = server.cpuSeconds, result.measuredSeconds > 0 {
            cpu = "CPU \(self.seconds(seconds)) s in the measured phase (\(percent(seconds / result.measuredSeconds)) of a core)"
        }
        lines.append(row("", "\(perConnection) (\(server.connectedAtIdle) open); \(cpu)"))
        return lines
    }

    func row(_ label: String, _ text: String) -> String {
        "  " + label + String(repeating: " ", count: max(1, 13 - label.count)) + text
    }

    func ms(_ nanoseconds: UInt64) -> String { JSONValue.fixed(Double(nanoseconds) / 1e6, decimals: 3) ?? "n/a" }
    func ms(_ nanoseconds: Double) -> String { JSONValue.fixed(nanoseconds / 1e6, decimals: 3) ?? "n/a" }
    func seconds(_ value: Double) -> String { JSONValue.fixed(value, decimals: 3) ?? "n/a" }
    func decimal(_ value: Double) -> String { JSONValue.fixed(value, decimals: 1) ?? "n/a" }
    func percent(_ fraction: Double) -> String { "\(Int((fraction * 100).rounded()))%" }
}
