import HubbubIO

/// One event loop's share of the run, confined to that loop's thread. It opens the
/// loop's connections a few at a time (at most `concurrency` connects and handshakes in
/// progress, a new one as each ends) while the run is connecting, and holds what the
/// loop's connections share. The connections keep it alive; nothing else refers to it.
final class LoopWorker {
    unowned let engine: LoopEngine
    let settings: LoadSettings
    let stats: LoopStats
    let control: RunControl
    /// A message's bytes: zeros where the send time and sequence number go, then filler.
    let payloadTemplate: [UInt8]

    /// The number of this loop's first connection (loops take consecutive ranges).
    private let firstIndex: Int
    private let quota: Int
    private let concurrency: Int
    private var launched = 0
    private var inProgress = 0
    private var launching = false
    private var random = SystemRandomNumberGenerator()

    init(
        engine: LoopEngine, settings: LoadSettings, stats: LoopStats, control: RunControl,
        firstIndex: Int, quota: Int, concurrency: Int
    ) {
        self.engine = engine
        self.settings = settings
        self.stats = stats
        self.control = control
        self.firstIndex = firstIndex
        self.quota = quota
        self.concurrency = concurrency
        self.payloadTemplate = (0..<settings.messageSize).map { $0 < 16 ? 0 : UInt8(truncatingIfNeeded: $0) }
    }

    /// Opens the first connections.
    func start() {
        launchMore()
    }

    /// A connection's connect ended (handshake done, failed or aborted): start the next.
    func connectFinished() {
        inProgress -= 1
        launchMore()
    }

    func makeKey() -> String {
        ClientHandshake.makeKey(using: &random)
    }

    /// A random delay in `0..<interval`, so rate-mode connections do not send in step.
    func randomOffset(below interval: UInt64) -> UInt64 {
        UInt64.random(in: 0..<max(interval, 1), using: &random)
    }

    private func launchMore() {
        guard !launching else { return }  // a connect that ends synchronously re-enters
        launching = true
        defer { launching = false }
        while inProgress < concurrency, launched < quota, control.phase == .connecting {
            let index = firstIndex + launched
            launched += 1
            inProgress += 1
            stats.update { $0.connectsStarted += 1 }
            do {
                try engine.connect(to: settings.target(of: index).address, handler: ClientConnection(worker: self, index: index))
            } catch {
                inProgress -= 1
                stats.update { counters in
                    counters.connectFailures += 1
                    counters.note("\(error)")
                }
            }
        }
    }
}
