import CLinux
import CURing
import Glibc

/// One TCP connection, owned by its event loop and used only on that loop's
/// thread. Sending appends to a bounded send queue; the loop flushes every
/// connection with queued bytes once per iteration, so frames queued together
/// go out in one gathered send, with at most one send in flight per socket.
public final class Connection {
    public enum State: Sendable, Equatable {
        case connecting
        case open
        /// Flushing what is queued, then a FIN (`closeAfterFlush`).
        case draining
        /// FIN sent; reading and discarding until the peer closes or the linger time passes.
        case lingering
        /// Shut down; waiting for in-flight kernel operations before the descriptor is released.
        case closing
        case closed
    }

    /// How `close` treats queued bytes.
    public enum CloseMode: Sendable {
        /// Drop queued bytes and close at once.
        case immediately
        /// Send what is queued, then FIN, then wait (bounded) for the peer's FIN
        /// so the last bytes are not destroyed by a reset.
        case afterFlush
    }

    public let id: ConnectionID
    let fd: Int32
    public unowned let engine: LoopEngine
    public internal(set) var state: State
    var handler: (any ConnectionHandler)?

    var sendQueue = SendQueue()
    var sendInFlight = false
    var isDirty = false
    var recvArmed = false           // io_uring: a multishot receive is armed
    var sendSlot: Int32 = -1        // io_uring: index of the msghdr in flight
    var lingerTimer: TimerID?
    var closeError: IOError?

    /// The most bytes `send` may queue; beyond it `send` refuses (the owner
    /// decides what a slow consumer gets, typically a close).
    public var maxQueuedBytes: Int

    init(id: ConnectionID, fd: Int32, engine: LoopEngine, state: State, maxQueuedBytes: Int) {
        self.id = id
        self.fd = fd
        self.engine = engine
        self.state = state
        self.maxQueuedBytes = maxQueuedBytes
    }

    /// The handler that receives this connection's events.
    public func setHandler(_ handler: any ConnectionHandler) {
        self.handler = handler
    }

    /// The handler set with `setHandler`, if any.
    public var currentHandler: (any ConnectionHandler)? { handler }

    public var queuedBytes: Int { sendQueue.queuedBytes }

    public var isWritable: Bool { state == .open || state == .connecting }

    public var peerAddress: SocketAddress? { Socket.peerAddress(fd) }

    /// Queues `chunk`. Returns false, queuing nothing, if the connection is no
    /// longer open or its queue already holds `maxQueuedBytes` or more: the
    /// queue never exceeds the bound by more than one chunk, and a single
    /// message larger than the bound (up to the message size limit) still goes.
    @discardableResult
    public func send(_ chunk: ByteChunk) -> Bool {
        guard isWritable else { return false }
        guard sendQueue.queuedBytes < maxQueuedBytes else { return false }
        sendQueue.append(chunk)
        markDirty()
        return true
    }

    /// Queues `chunk` even past `maxQueuedBytes` (for a final close frame).
    public func sendIgnoringLimit(_ chunk: ByteChunk) {
        guard isWritable else { return }
        sendQueue.append(chunk)
        markDirty()
    }

    @discardableResult
    public func send(_ bytes: [UInt8]) -> Bool {
        send(ByteChunk(bytes))
    }

    public func close(_ mode: CloseMode = .immediately) {
        engine.close(self, mode: mode)
    }

    func markDirty() {
        if !isDirty && !sendInFlight && state != .connecting {
            isDirty = true
            engine.dirty.append(self)
        }
    }
}
