import Synchronization

/// Collects the first-connect outcome of each of a broker's links and calls `done` once
/// all have reported, with the errors (empty when every link connected).
final class FirstAttemptGate: Sendable {
    private let state: Mutex<(remaining: Int, errors: [BrokerError])>
    private let done: @Sendable ([BrokerError]) -> Void

    init(links: Int, done: @escaping @Sendable ([BrokerError]) -> Void) {
        state = Mutex((links, []))
        self.done = done
    }

    func report(_ error: BrokerError?) {
        let finished: [BrokerError]? = state.withLock { state in
            state.remaining -= 1
            if let error { state.errors.append(error) }
            return state.remaining == 0 ? state.errors : nil
        }
        if let finished { done(finished) }
    }
}
