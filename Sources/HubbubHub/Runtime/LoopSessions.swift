import Logging
import HubbubIO

/// The hub sessions living on one event loop, by key.
///
/// Why `@unchecked Sendable` is safe: the table is created once at start-up and shared
/// through the `Sendable` ``Hub``, but its mutable state (`sessions`, `nextKey`) is read and
/// written only on its own loop's thread: by sessions (which run on that thread), and by
/// ``deliver(_:to:)``, which callers on other threads reach only through
/// `loop.execute`. Every entry point checks `loop.inEventLoop` in debug builds.
final class LoopSessions: @unchecked Sendable {
    let loop: EventLoop
    private var sessions: [UInt64: HubSession] = [:]
    private var nextKey: UInt64 = 1

    init(loop: EventLoop) {
        self.loop = loop
    }

    func register(_ session: HubSession) -> SessionRef {
        assert(loop.inEventLoop)
        let key = nextKey
        nextKey &+= 1
        sessions[key] = session
        return SessionRef(loop: loop.index, key: key)
    }

    func remove(_ ref: SessionRef) {
        assert(loop.inEventLoop)
        sessions[ref.key] = nil
    }

    func session(_ ref: SessionRef) -> HubSession? {
        assert(loop.inEventLoop)
        return sessions[ref.key]
    }

    var count: Int { sessions.count }

    /// Hands `delivery` to each session in `keys` (on this loop's thread).
    func deliver(_ delivery: Delivery, to keys: [UInt64]) {
        assert(loop.inEventLoop)
        for key in keys {
            sessions[key]?.receive(delivery)
        }
    }

    /// Runs `body` on this loop's thread: at once when already there, else through the
    /// loop's inbox (FIFO with everything else sent to this loop).
    func onLoop(_ body: @escaping @Sendable (LoopSessions) -> Void) {
        if loop.inEventLoop {
            body(self)
        } else {
            loop.execute { [self] _ in body(self) }
        }
    }
}
