import Synchronization

/// One loop's counters and latency samples. The loop thread records into it; the
/// coordinating task reads it (progress once a second, totals at phase boundaries).
/// Each loop has its own, so the lock is uncontended on the hot path: a few tens of
/// nanoseconds per message, far below a round trip through the kernel.
final class LoopStats: Sendable {
    private struct State {
        var counters = LoopCounters()
        var latencies: LatencyReservoir
    }

    private let state: Mutex<State>

    init(sampleCapacity: Int, seed: UInt64) {
        state = Mutex(State(latencies: LatencyReservoir(capacity: sampleCapacity, seed: seed)))
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

    func snapshot() -> LoopCounters {
        state.withLock { $0.counters }
    }

    /// The samples so far (left in place: call once, at the end).
    func latencies() -> LatencyReservoir {
        state.withLock { $0.latencies }
    }
}
