import HubbubIO

/// The figures of a finished run, ready for `Report`.
struct LoadResult: Sendable {
    var backend: IOBackendKind
    /// Counters after the connections were closed.
    var totals = LoopCounters()
    /// Connections never attempted because the connect timeout passed first.
    var notAttempted = 0
    var connectSeconds = 0.0
    /// The measured phase as it actually lasted.
    var measuredSeconds = 0.0
    /// Echoes (hub mode: comment events delivered) received during the measured phase
    /// (the basis of messages/s).
    var receivedInWindow = 0
    /// Round trips, or (hub mode) fan-out delivery latencies.
    var latency: LatencySummary?
    /// Hub mode: from the connect phase's start until the last join was acknowledged.
    var joinSeconds = 0.0
    /// Hub mode: joins still unanswered when the connect timeout passed.
    var joinTimeouts = 0
    /// Hub mode: comments acknowledged during the measured phase.
    var ackedInWindow = 0
    /// Hub mode: comment send to ack.
    var ackLatency: LatencySummary?
    /// Hub mode: comment events the members should have received (acks x members, per room).
    var expectedDeliveries = 0
    var server: ServerFigures?
    /// The load generator's CPU during the measured phase.
    var clientCPUSeconds = 0.0
    /// The user interrupted the run.
    var interrupted = false

    init(backend: IOBackendKind) {
        self.backend = backend
    }

    var connected: Int { totals.connected }

    /// Every error, never-attempted connects and join timeouts included.
    var errors: Int { totals.errors + notAttempted + joinTimeouts }

    var messagesPerSecond: Double {
        measuredSeconds > 0 ? Double(receivedInWindow) / measuredSeconds : 0
    }

    var ackedPerSecond: Double {
        measuredSeconds > 0 ? Double(ackedInWindow) / measuredSeconds : 0
    }

    var connectsPerSecond: Double {
        connectSeconds > 0 ? Double(connected) / connectSeconds : 0
    }

    /// The client's CPU use per client thread during the measured phase (1.0 = one core each).
    func clientCPUPerThread(threads: Int) -> Double {
        measuredSeconds > 0 ? clientCPUSeconds / measuredSeconds / Double(threads) : 0
    }

    /// Every connection came up and nothing went wrong (hub mode: every event
    /// delivered once and in order).
    func succeeded(asked: Int) -> Bool {
        connected == asked && errors == 0 && totals.hub.orderingViolations == 0
    }
}
