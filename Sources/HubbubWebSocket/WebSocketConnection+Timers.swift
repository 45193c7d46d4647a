extension WebSocketConnection {
    /// The earliest time ``tick(now:)`` has something to do; nil when nothing is scheduled.
    /// It changes after every call that returns actions, and after ``receive(_:now:)``.
    public var nextDeadline: UInt64? {
        switch state {
        case .open:
            return Self.earliest(pingDeadline, idleDeadline)
        case .closing:
            return Self.earliest(timeouts.closeTimeout > 0 ? closeDeadline : nil, idleDeadline)
        case .closed:
            return nil
        }
    }

    /// Runs the timers due at `now`: drops the connection when the close timeout or the idle
    /// timeout expired (`.closed(code: .abnormalClosure, ...)` then `.closeSocket`, without a
    /// close frame), else sends a keep-alive ping when nothing was received for a ping
    /// interval (one per interval).
    public mutating func tick(now: UInt64) -> [WebSocketAction] {
        var actions: [WebSocketAction] = []
        switch state {
        case .closed:
            break
        case .closing where timeouts.closeTimeout > 0 && now >= closeDeadline:
            finish(code: .abnormalClosure, reason: "close timeout", initiatedByPeer: false, into: &actions)
        case .open, .closing:
            if let idle = idleDeadline, now >= idle {
                finish(code: .abnormalClosure, reason: "idle timeout", initiatedByPeer: false, into: &actions)
            } else if let ping = pingDeadline, now >= ping {
                nextPing = now.addingSaturated(timeouts.pingInterval)
                actions.append(.send(WebSocketFrameEncoder.encode(opcode: .ping, payload: [], maskKey: maskKeys.next())))
            }
        }
        return actions
    }

    private var pingDeadline: UInt64? {
        state == .open && timeouts.pingInterval > 0 ? nextPing : nil
    }

    private var idleDeadline: UInt64? {
        timeouts.idleTimeout > 0 ? lastReceived.addingSaturated(timeouts.idleTimeout) : nil
    }

    private static func earliest(_ a: UInt64?, _ b: UInt64?) -> UInt64? {
        switch (a, b) {
        case (let a?, let b?): Swift.min(a, b)
        case (let a?, nil): a
        case (nil, let b?): b
        case (nil, nil): nil
        }
    }
}

extension UInt64 {
    /// `self + other`, or `.max` when that overflows (a deadline that never comes).
    func addingSaturated(_ other: UInt64) -> UInt64 {
        let (sum, overflow) = addingReportingOverflow(other)
        return overflow ? .max : sum
    }
}
