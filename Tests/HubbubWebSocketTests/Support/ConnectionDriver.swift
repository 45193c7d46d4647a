import HubbubWebSocket

extension WebSocketConnection {
    /// Test shorthand: a connection with every timer off.
    static func make(
        role: WebSocketRole = .server,
        limits: WebSocketLimits = WebSocketLimits(),
        timeouts: WebSocketTimeouts = .disabled,
        now: UInt64 = 0
    ) -> WebSocketConnection {
        WebSocketConnection(role: role, limits: limits, timeouts: timeouts, now: now, maskKeyGenerator: { Wire.connectionKey })
    }

    mutating func receive(_ bytes: [UInt8], now: UInt64 = 1) -> [WebSocketAction] {
        bytes.withUnsafeBytes { receive($0, now: now) }
    }
}

extension [WebSocketAction] {
    /// The bytes of every `.send`, in order.
    var sentBytes: [[UInt8]] {
        compactMap { if case .send(let bytes) = $0 { bytes } else { nil } }
    }
}
