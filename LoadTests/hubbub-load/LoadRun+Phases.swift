import HubbubIO
import HubbubWebSocket
import Logging

/// The phases of a run, in order: connect, measure, drain, close.
extension LoadRun {
    /// Opens the connections (each loop paces its share), until all have succeeded or
    /// failed (hub mode: and every join has been answered), or the connect timeout
    /// passes; then aborts whatever is still connecting.
    func connect(_ group: EventLoopGroup) async throws {
        let start = MonotonicClock.now()
        var firstIndex = 0
        for (index, loop) in group.loops.enumerated() {
            let settings = self.settings
            let loopStats = stats[index]
            let control = self.control
            let quota = settings.share(of: settings.connections, loop: index)
            let first = firstIndex
            firstIndex += quota
            let concurrency = max(1, settings.share(of: settings.connectConcurrency, loop: index))
            loop.execute { engine in
                LoopWorker(
                    engine: engine, settings: settings, stats: loopStats, control: control,
                    firstIndex: first, quota: quota, concurrency: concurrency
                ).start()
            }
        }
        let deadline = start &+ settings.connectTimeout
        var timedOut = false
        while true {
            let totals = totals()
            let now = MonotonicClock.now()
            progress.connecting(totals, now: now)
            if totals.finishedConnecting >= settings.connections, settings.hub == nil || hubJoinsSettled(totals) { break }
            if now >= deadline || interrupt.isRaised {
                timedOut = true
                break
            }
            try await pause()
        }
        control.enter(.connected)
        if timedOut {
            for loop in group.loops {
                try await loop.submit { engine in
                    engine.forEachConnection { connection in
                        (connection.currentHandler as? ClientConnection)?.abortConnect(on: connection)
                    }
                }
            }
        }
        let totals = totals()
        result.notAttempted = settings.connections - totals.connectsStarted
        let end = totals.lastConnectedAt > start && !timedOut ? totals.lastConnectedAt : MonotonicClock.now()
        result.connectSeconds = Double(end - start) / 1e9
        if settings.hub != nil { recordJoins(totals, start: start, timedOut: timedOut) }
        if timedOut, !interrupt.isRaised {
            logger.warning("connect timeout: \(totals.connected) of \(settings.connections) connections up")
        }
    }

    /// The measured phase: echo traffic or idle holding for --duration.
    func measure(_ group: EventLoopGroup) async throws {
        guard totals().open > 0 else {  // nothing came up: nothing to measure
            control.enter(.draining)
            return
        }
        if let pid = settings.serverPID {
            try await pause(LoadRun.settleTime)
            result.server?.rssIdleKB = ProcessMetrics.memory(pid: pid)?.rssKB
            result.server?.connectedAtIdle = totals().open
        }
        let serverCPUBefore = settings.serverPID.flatMap { ProcessMetrics.cpuSeconds(pid: $0) }
        let clientCPUBefore = ProcessMetrics.ownCPUSeconds()

        let start = MonotonicClock.now()
        control.enter(.running)
        if settings.mode == .echo || settings.mode == .hub {
            for loop in group.loops {
                try await loop.submit { engine in
                    engine.forEachConnection { connection in
                        let client = connection.currentHandler as? ClientConnection
                        if client?.hub != nil {
                            client?.startPublishing(on: connection)
                        } else {
                            client?.startSending(on: connection)
                        }
                    }
                }
            }
        }
        progress.resetRate(received: totals().received(mode: settings.mode), now: start)
        let deadline = start &+ settings.duration
        while !interrupt.isRaised {
            let now = MonotonicClock.now()
            if now >= deadline { break }
            progress.running(totals(), mode: settings.mode, now: now)
            try await pause(min(LoadRun.measurePollInterval, deadline - now))
        }
        control.enter(.draining)
        let end = MonotonicClock.now()
        let totals = totals()

        result.measuredSeconds = Double(end - start) / 1e9
        result.receivedInWindow = totals.received(mode: settings.mode)
        result.ackedInWindow = totals.hub.commentsAcked
        result.clientCPUSeconds = ProcessMetrics.ownCPUSeconds() - clientCPUBefore
        if let pid = settings.serverPID {
            if let before = serverCPUBefore, let after = ProcessMetrics.cpuSeconds(pid: pid) {
                result.server?.cpuSeconds = after - before
            }
            result.server?.rssEndKB = ProcessMetrics.memory(pid: pid)?.rssKB
        }
    }

    /// Lets the echoes of messages still in flight arrive (they count in the latency,
    /// not in messages/s).
    func drain(_ group: EventLoopGroup) async throws {
        if settings.hub != nil {
            try await drainHub(group)
            return
        }
        let deadline = MonotonicClock.now() &+ LoadRun.drainTimeout
        while MonotonicClock.now() < deadline {  // even when interrupted: it is bounded, and a second Ctrl-C quits
            let totals = totals()
            if totals.messagesReceived + totals.messagesUnanswered >= totals.messagesSent { break }
            try await pause()
        }
    }

    /// Closes every connection with a closing handshake (1000) and waits until all
    /// sockets are gone (bounded by the close timeout and the linger time).
    func close(_ group: EventLoopGroup) async throws {
        control.enter(.closing)
        progress.restartClock(now: MonotonicClock.now())
        for loop in group.loops {
            try await loop.submit { engine in
                engine.forEachConnection { connection in
                    (connection.currentHandler as? ClientConnection)?.beginClose(on: connection)
                }
            }
        }
        let deadline = MonotonicClock.now() &+ LoadSettings.webSocketTimeouts.closeTimeout &+ 3_000_000_000
        while MonotonicClock.now() < deadline {
            let totals = totals()
            progress.closing(totals, now: MonotonicClock.now())
            if totals.open <= 0 { break }
            try await pause()
        }
    }
}
