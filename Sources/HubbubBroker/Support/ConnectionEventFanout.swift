import Synchronization

/// Hands each connection event to every stream made by ``stream()``, each stream
/// starting with the current state. Yields happen under the lock, so every stream sees
/// the events in the same order.
final class ConnectionEventFanout: Sendable {
    private struct State {
        var current: BrokerConnectionEvent
        var continuations: [UInt64: AsyncStream<BrokerConnectionEvent>.Continuation] = [:]
        var nextID: UInt64 = 0
        var finished = false
    }

    private let state: Mutex<State>

    init(initial: BrokerConnectionEvent) {
        state = Mutex(State(current: initial))
    }

    func stream() -> AsyncStream<BrokerConnectionEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: BrokerConnectionEvent.self)
        let id: UInt64? = state.withLock { state in
            // The current state: `.connected` stands for "up" whether or not it was a reconnect.
            continuation.yield(state.current == .reconnected ? .connected : state.current)
            guard !state.finished else { return nil }
            state.nextID += 1
            state.continuations[state.nextID] = continuation
            return state.nextID
        }
        guard let id else {
            continuation.finish()
            return stream
        }
        continuation.onTermination = { [weak self] _ in
            _ = self?.state.withLock { $0.continuations.removeValue(forKey: id) }
        }
        return stream
    }

    func emit(_ event: BrokerConnectionEvent) {
        state.withLock { state in
            guard !state.finished else { return }
            state.current = event
            for continuation in state.continuations.values { continuation.yield(event) }
        }
    }

    /// Finishes every stream; later streams get the last state and finish at once.
    func finish() {
        let continuations = state.withLock { state in
            state.finished = true
            defer { state.continuations.removeAll() }
            return Array(state.continuations.values)
        }
        for continuation in continuations { continuation.finish() }
    }
}
