import Synchronization

/// One loop's counters and latency samples. The loop thread records into it; the
/// coordinating task reads it (progress once a second, totals at phase boundaries).
/// Each loop has its own, so the lock is uncontended on the hot path: a few tens of
/// nanoseconds per message, far below a round trip through the kernel.
final class LoopStats: Sendable {
    private struct State {
        var counters = LoopCounters()
        /// Echo round trips, or (hub mode) fan-out delivery latencies.
        var latencies: LatencyReservoir
        /// Hub mode: comment send to ack.
        var ackLatencies: LatencyReservoir
        /// Hub mode: per room.
        var rooms: HubRoomFigures
    }

    private let state: Mutex<State>

    init(sampleCapacity: Int, seed: UInt64, rooms: Int = 0) {
        state = Mutex(State(
            latencies: LatencyReservoir(capacity: sampleCapacity, seed: seed),
            ackLatencies: LatencyReservoir(capacity: rooms > 0 ? sampleCapacity : 0, seed: seed &+ 1),
            rooms: HubRoomFigures(rooms: rooms)))
    }

    func update(_ body: (inout LoopCounters) -> Void) {
        state.withLock { body(&$0.counters) }
    }

    /// An echo arrived after `latency` ns; `sentNext` when its connection sent the next
    /// message right away (closed loop).
    func recordEcho(latency: UInt64, sentNext: Bool) {
        state.withLock { state in
            state.counters.messagesReceived += 1
            if sentNext { state.counters.messagesSent += 1 }
            state.latencies.add(latency)
        }
    }

    /// Hub mode: a durable event arrived (`comment`: a `comment.created`, timed
    /// `latency` ns after it was sent), with the outcome of its seq check.
    func recordEvent(comment: Bool, latency: UInt64?, outcome: HubClientState.SeqOutcome) {
        state.withLock { state in
            if comment {
                state.counters.hub.commentsDelivered += 1
            } else {
                state.counters.hub.otherEvents += 1
            }
            if let latency { state.latencies.add(latency) }
            switch outcome {
            case .next: break
            case .gap(let skipped): state.counters.hub.lost += Int(skipped)
            case .duplicate: state.counters.hub.duplicates += 1
            case .outOfOrder: state.counters.hub.outOfOrder += 1
            }
        }
    }

    /// Hub mode: a comment was acknowledged with `seq` in `room`, `latency` ns after it was sent.
    func recordAck(room: Int, seq: Int64?, latency: UInt64) {
        state.withLock { state in
            state.counters.hub.commentsAcked += 1
            state.ackLatencies.add(latency)
            state.rooms.acked[room] += 1
            if let seq { state.rooms.headSeq[room] = max(state.rooms.headSeq[room], seq) }
        }
    }

    /// Hub mode: a join was acknowledged at `time`.
    func recordJoin(room: Int, at time: UInt64) {
        state.withLock { state in
            state.counters.hub.joined += 1
            state.counters.hub.lastJoinedAt = max(state.counters.hub.lastJoinedAt, time)
            state.rooms.joined[room] += 1
        }
    }

    func snapshot() -> LoopCounters {
        state.withLock { $0.counters }
    }

    /// The samples so far (left in place: call once, at the end).
    func latencies() -> LatencyReservoir {
        state.withLock { $0.latencies }
    }

    /// Hub mode: the ack latencies so far (call once, at the end).
    func ackLatencies() -> LatencyReservoir {
        state.withLock { $0.ackLatencies }
    }

    /// Hub mode: the per-room figures so far.
    func roomFigures() -> HubRoomFigures {
        state.withLock { $0.rooms }
    }
}
