import HubbubBroker
import Synchronization

/// Collects the messages a subscription's handler receives.
final class Inbox: Sendable {
    private let messages = Mutex<[(channel: String, payload: [UInt8])]>([])

    var handler: BrokerMessageHandler {
        { [self] channel, payload in messages.withLock { $0.append((channel, payload)) } }
    }

    var count: Int { messages.withLock { $0.count } }

    /// The payloads as text, in arrival order.
    var texts: [String] { messages.withLock { $0.map { String(decoding: $0.payload, as: UTF8.self) } } }

    var payloads: [[UInt8]] { messages.withLock { $0.map(\.payload) } }

    var channels: [String] { messages.withLock { $0.map(\.channel) } }

    /// Waits (polling every 5 ms) until at least `count` messages are in, up to `timeout`;
    /// returns whether they came.
    @discardableResult
    func wait(for count: Int, timeout: Duration = .seconds(5)) async -> Bool {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if self.count >= count { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return self.count >= count
    }
}

extension String {
    var bytes: [UInt8] { Array(utf8) }
}

/// Polls `condition` every 20 ms until it holds or `timeout` passes.
func eventually(timeout: Duration = .seconds(5), _ condition: () async throws -> Bool) async rethrows -> Bool {
    let deadline = ContinuousClock.now + timeout
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try? await Task.sleep(for: .milliseconds(20))
    }
    return try await condition()
}
