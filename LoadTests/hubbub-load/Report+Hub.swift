/// The hub scenario's part of the summary and of the JSON (`"hub"`).
extension Report {
    var hubLines: [String] {
        guard let hub = settings.hub else { return [] }
        let counters = result.totals.hub
        let rooms = hub.rooms == 1 ? "1 room" : "\(hub.rooms) rooms"
        let span = counters.joined == settings.connections ? "for all" : "until every join was answered or timed out"
        let joined = "\(counters.joined)/\(settings.connections) joined \(rooms)"
        var lines = [row("joined", "\(joined); connect+join \(ms(result.joinSeconds * 1e9)) ms \(span)")]
        let publishers = hub.publishersPerRoom == 1 ? "1 publisher" : "\(hub.publishersPerRoom) publishers"
        let pacing = hub.ratePerRoom > 0 ? "\(decimal(hub.ratePerRoom))/s per room" : "closed loop"
        var comments = "\(decimal(result.ackedPerSecond)) acked/s over \(seconds(result.measuredSeconds)) s "
            + "(\(pacing), \(publishers) per room); \(counters.commentsSent) sent, \(counters.commentsAcked) acked"
        if counters.commentsFailed > 0 { comments += ", \(counters.commentsFailed) refused" }
        if counters.commentsUnanswered > 0 { comments += ", \(counters.commentsUnanswered) unanswered" }
        if counters.turnsSkipped > 0 { comments += ", \(counters.turnsSkipped) turns skipped (backlog)" }
        lines.append(row("comments", comments))
        lines.append(row("ack latency", summaryLine(result.ackLatency, noun: "acks")))
        lines.append(row("delivered", "\(Int(result.messagesPerSecond.rounded())) events/s; "
            + "\(counters.commentsDelivered) of \(result.expectedDeliveries) expected comment events"))
        lines.append(row("fan-out", summaryLine(result.latency, noun: "events")))
        lines.append(row("ordering", "\(counters.lost) lost (\(counters.missingAtEnd) missing at the end), "
            + "\(counters.duplicates) duplicated, \(counters.outOfOrder) out of order"
            + (counters.orderingViolations > 0 ? "  <- FAILED" : "")))
        if !counters.errorCodes.isEmpty {
            let codes = counters.errorCodes.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            lines.append(row("error codes", codes))
        }
        return lines
    }

    /// The hub's error kinds for the errors line.
    var hubErrorParts: [(String, Int)] {
        let counters = result.totals.hub
        return [
            ("joins lost", counters.joinsLost), ("join timeouts", result.joinTimeouts),
            ("error replies", counters.errorReplies), ("protocol anomalies", counters.anomalies),
        ]
    }

    var hubJSON: JSONValue {
        guard let hub = settings.hub else { return .null }
        let counters = result.totals.hub
        return .object([
            ("rooms", .int(hub.rooms)),
            ("publishers_per_room", .int(hub.publishersPerRoom)),
            ("rate_per_room", .number(hub.ratePerRoom, decimals: 3)),
            ("parse", .string(hub.fullParse ? "full" : "scan")),
            ("joined", .int(counters.joined)),
            ("join_errors", .int(counters.joinErrors)),
            ("joins_lost", .int(counters.joinsLost)),
            ("join_timeouts", .int(result.joinTimeouts)),
            ("connect_join_ms", .number(result.joinSeconds * 1000, decimals: 3)),
            ("comments_sent", .int(counters.commentsSent)),
            ("comments_acked", .int(counters.commentsAcked)),
            ("comments_refused", .int(counters.commentsFailed)),
            ("comments_unanswered", .int(counters.commentsUnanswered)),
            ("turns_skipped", .int(counters.turnsSkipped)),
            ("acked_per_second", .number(result.ackedPerSecond, decimals: 1)),
            ("ack_latency_ms", latencyJSON(result.ackLatency)),
            ("events_delivered", .int(counters.commentsDelivered)),
            ("events_expected", .int(result.expectedDeliveries)),
            ("other_events", .int(counters.otherEvents)),
            ("ignored_messages", .int(counters.ignoredMessages)),
            ("delivered_per_second", .number(result.messagesPerSecond, decimals: 1)),
            ("delivery_latency_ms", latencyJSON(result.latency)),
            ("lost", .int(counters.lost)),
            ("missing_at_end", .int(counters.missingAtEnd)),
            ("duplicates", .int(counters.duplicates)),
            ("out_of_order", .int(counters.outOfOrder)),
            ("anomalies", .int(counters.anomalies)),
            ("error_codes", .object(counters.errorCodes.sorted { $0.key < $1.key }.map { ($0.key, .int($0.value)) })),
        ])
    }

    func summaryLine(_ summary: LatencySummary?, noun: String) -> String {
        guard let summary else { return "no \(noun)" }
        return "p50 \(ms(summary.p50)) ms  p99 \(ms(summary.p99)) ms  p99.9 \(ms(summary.p999)) ms"
            + "  max \(ms(summary.max)) ms  (mean \(ms(summary.mean)) ms, \(summary.count) \(noun))"
    }
}
