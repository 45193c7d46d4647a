import HubbubIO
import Logging

/// One run from start to finish: start the client loops, connect, measure, close, and
/// gather the figures. It reaches the loops only through `EventLoop.execute`/`submit`
/// (commands run on the loop threads) and the loops' `LoopStats` (figures), and tells
/// them the phase through `RunControl`.
final class LoadRun {
    /// How often the coordinating task looks at the counters while connecting, draining
    /// and closing. (Each wake-up of a sleeping task costs ~0.5 ms of CPU on Dispatch's
    /// threads; the connect time itself is stamped on the loops, not polled.)
    static let pollInterval: UInt64 = 20_000_000
    /// ... and during the measured phase, where the client's CPU is being measured.
    static let measurePollInterval: UInt64 = 100_000_000
    /// After all connections are up, the server gets this long to settle before its
    /// idle RSS is read.
    static let settleTime: UInt64 = 500_000_000
    /// After the measured phase, outstanding echoes get this long to arrive.
    static let drainTimeout: UInt64 = 5_000_000_000

    let settings: LoadSettings
    let logger: Logger
    let interrupt: InterruptFlag
    let control = RunControl()
    private(set) var stats: [LoopStats] = []
    var progress: ProgressReporter
    var result: LoadResult

    init(settings: LoadSettings, logger: Logger, interrupt: InterruptFlag) {
        self.settings = settings
        self.logger = logger
        self.interrupt = interrupt
        self.progress = ProgressReporter(enabled: !settings.quiet, connections: settings.connections, start: MonotonicClock.now())
        self.result = LoadResult(backend: .epoll)
    }

    func run() async throws -> LoadResult {
        let (backend, fallbackReason) = IOBackendProbe.resolve(settings.io)
        if let fallbackReason {
            logger.warning("io_uring unavailable, the client uses epoll: \(fallbackReason)")
        }
        result = LoadResult(backend: backend)
        let group = try EventLoopGroup(threadCount: settings.threads, backend: backend, logger: logger)
        defer { group.shutdown() }
        stats = (0..<settings.threads).map { index in
            LoopStats(
                sampleCapacity: LoadSettings.samplesPerLoop, seed: MonotonicClock.now() &+ UInt64(index) &* 0x9E37_79B9,
                rooms: settings.hub?.rooms ?? 0)
        }
        if let pid = settings.serverPID {
            var server = ServerFigures(pid: pid)
            server.rssBeforeKB = ProcessMetrics.memory(pid: pid)?.rssKB
            result.server = server
        }

        try await connect(group)
        try await measure(group)
        try await drain(group)
        try await close(group)

        result.totals = totals()
        result.latency = LatencySummary(stats.map { $0.latencies() })
        if settings.hub != nil {
            result.ackLatency = LatencySummary(stats.map { $0.ackLatencies() })
            result.expectedDeliveries = roomFigures().expectedDeliveries
        }
        result.interrupted = interrupt.isRaised
        if let pid = settings.serverPID, let memory = ProcessMetrics.memory(pid: pid) {
            result.server?.rssAfterCloseKB = memory.rssKB
            result.server?.peakRSSKB = memory.peakKB
        }
        return result
    }

    /// The counters of every loop, summed.
    func totals() -> LoopCounters {
        stats.reduce(into: LoopCounters()) { $0.add($1.snapshot()) }
    }

    /// Waits one poll interval.
    func pause(_ nanoseconds: UInt64 = LoadRun.pollInterval) async throws {
        try await Task.sleep(nanoseconds: nanoseconds)
    }
}
