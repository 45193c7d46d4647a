import HubbubIO

/// The progress line on stderr, about once a second (nothing with --quiet).
struct ProgressReporter {
    private let enabled: Bool
    private let start: UInt64
    private let connections: Int
    private var lastPrint: UInt64
    private var lastReceived = 0

    init(enabled: Bool, connections: Int, start: UInt64) {
        self.enabled = enabled
        self.connections = connections
        self.start = start
        self.lastPrint = start
    }

    /// Prints the connect-phase line if a second has passed.
    mutating func connecting(_ totals: LoopCounters, now: UInt64) {
        guard due(now) else { return }
        let inProgress = totals.connectsStarted - totals.finishedConnecting
        let joined = totals.hub.joined > 0 ? ", \(totals.hub.joined) joined" : ""
        print(
            "connecting: \(totals.connected)/\(connections) connected\(joined), \(inProgress) in progress, \(totals.errors) errors",
            now: now)
    }

    /// Prints the measured-phase line if a second has passed.
    mutating func running(_ totals: LoopCounters, mode: LoadMode, now: UInt64) {
        let elapsed = now &- lastPrint
        guard due(now) else { return }
        let received = totals.received(mode: mode)
        let rate = Double(received - lastReceived) / (Double(elapsed) / 1e9)
        lastReceived = received
        switch mode {
        case .echo:
            print("echo: \(totals.open) open, \(Int(rate)) msgs/s, \(received) received, \(totals.errors) errors", now: now)
        case .idle:
            print("idle: \(totals.open) open, \(totals.errors) errors", now: now)
        case .hub:
            let hub = totals.hub
            print("hub: \(totals.open) open, \(Int(rate)) events/s delivered, \(hub.commentsAcked) acked, "
                + "\(hub.orderingViolations) lost/dup/reordered, \(totals.errors) errors", now: now)
        }
    }

    /// Starts the messages/s count afresh (at the start of the measured phase).
    mutating func resetRate(received: Int, now: UInt64) {
        lastReceived = received
        lastPrint = now
    }

    /// The next line is due a second from `now`.
    mutating func restartClock(now: UInt64) {
        lastPrint = now
    }

    /// Prints a closing-phase line if a second has passed.
    mutating func closing(_ totals: LoopCounters, now: UInt64) {
        guard due(now) else { return }
        print("closing: \(totals.open) still open", now: now)
    }

    private mutating func due(_ now: UInt64) -> Bool {
        guard enabled, now &- lastPrint >= 1_000_000_000 else { return false }
        lastPrint = now
        return true
    }

    private func print(_ line: String, now: UInt64) {
        let tenths = (now &- start) / 100_000_000
        let stamp = "\(tenths / 10).\(tenths % 10)s"
        StandardError.write("[\(String(repeating: " ", count: max(0, 6 - stamp.count)))\(stamp)] \(line)\n")
    }
}
