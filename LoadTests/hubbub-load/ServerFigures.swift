/// What was measured of the server process (`--server-pid`). Each reading is nil when
/// /proc could not be read at that moment (the server exited).
struct ServerFigures: Sendable {
    var pid: Int32
    var rssBeforeKB: Int?
    /// After every connection was up, before any message.
    var rssIdleKB: Int?
    /// At the end of the measured phase, connections still open.
    var rssEndKB: Int?
    /// After the connections were closed.
    var rssAfterCloseKB: Int?
    var peakRSSKB: Int?
    /// CPU used during the measured phase.
    var cpuSeconds: Double?
    /// Connections open when `rssIdleKB` was read.
    var connectedAtIdle = 0

    init(pid: Int32) {
        self.pid = pid
    }

    /// (RSS idle - RSS before) / connections: what one idle connection costs the server.
    var idleBytesPerConnection: Double? {
        guard let before = rssBeforeKB, let idle = rssIdleKB, connectedAtIdle > 0 else { return nil }
        return Double(idle - before) * 1024 / Double(connectedAtIdle)
    }
}
