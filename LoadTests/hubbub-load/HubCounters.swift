/// What happened on the `hubbub.v1` level on one loop (or, summed, on all of them):
/// joins, comments and their acks, events delivered and the seq checks. Part of
/// `LoopCounters`; the per-room figures are in `HubRoomFigures`.
struct HubCounters: Sendable {
    /// Joins acknowledged.
    var joined = 0
    /// Joins answered with an error (also counted in `errorCodes`).
    var joinErrors = 0
    /// Connections that ended before their join was answered (or before `welcome`).
    var joinsLost = 0
    /// When the last join ack arrived (monotonic ns), 0 if none did.
    var lastJoinedAt: UInt64 = 0

    var commentsSent = 0
    var commentsAcked = 0
    /// Comments answered with an error.
    var commentsFailed = 0
    /// Comments whose connection ended before their reply.
    var commentsUnanswered = 0
    /// Paced turns skipped because too many comments were unacknowledged or the
    /// send queue was backed up.
    var turnsSkipped = 0

    /// `comment.created` events received.
    var commentsDelivered = 0
    /// Other durable events received (they advance the seq too).
    var otherEvents = 0
    /// Non-durable messages ignored (presence, ...).
    var ignoredMessages = 0

    /// Seqs skipped over (a gap of k counts k), plus events still missing at the end.
    var lost = 0
    /// Of `lost`, the events a connection had not received when the run ended.
    var missingAtEnd = 0
    /// An event with the same seq as the previous one.
    var duplicates = 0
    /// An event with a lower seq than the previous one.
    var outOfOrder = 0
    /// Messages without a readable `type`, comment events without a seq or `t=` marker,
    /// replies to ids never sent, a `welcome` twice.
    var anomalies = 0

    /// `error` replies by code.
    var errorCodes: [String: Int] = [:]

    var errorReplies: Int { errorCodes.values.reduce(0, +) }

    /// Joins that ended without success.
    var joinFailures: Int { joinErrors + joinsLost }

    /// Every failure counted once (the seq checks aside: `orderingViolations`).
    var errors: Int { errorReplies + joinsLost + anomalies }

    /// Lost, duplicated or out-of-order events: the run failed.
    var orderingViolations: Int { lost + duplicates + outOfOrder }

    /// Replies still expected.
    var commentsPending: Int { commentsSent - commentsAcked - commentsFailed - commentsUnanswered }

    mutating func add(_ other: HubCounters) {
        joined += other.joined
        joinErrors += other.joinErrors
        joinsLost += other.joinsLost
        lastJoinedAt = max(lastJoinedAt, other.lastJoinedAt)
        commentsSent += other.commentsSent
        commentsAcked += other.commentsAcked
        commentsFailed += other.commentsFailed
        commentsUnanswered += other.commentsUnanswered
        turnsSkipped += other.turnsSkipped
        commentsDelivered += other.commentsDelivered
        otherEvents += other.otherEvents
        ignoredMessages += other.ignoredMessages
        lost += other.lost
        missingAtEnd += other.missingAtEnd
        duplicates += other.duplicates
        outOfOrder += other.outOfOrder
        anomalies += other.anomalies
        errorCodes.merge(other.errorCodes, uniquingKeysWith: +)
    }
}
