import CLinux
import CURing
import Glibc
import Logging

/// The epoll backend, for hosts that refuse io_uring: edge-triggered
/// registrations made once per connection (no `epoll_ctl` per send), reads
/// into one buffer per loop (receive memory is not held per connection, as
/// with the buffer ring), and `writev` of every queued chunk, waiting for
/// `EPOLLOUT` only when the socket is full. Listeners are level-triggered.
final class EpollDriver {
    unowned let engine: LoopEngine
    private let epfd: Int32
    private let events: UnsafeMutablePointer<epoll_event>
    private let eventCapacity = 256
    private let readBuffer: UnsafeMutableRawBufferPointer
    private let iovecs: UnsafeMutablePointer<iovec>
    private let iovecCapacity: Int
    /// Connections whose read budget ran out with data possibly left (edge-triggered).
    private var pendingReads: [Connection] = []
    private let readsPerEvent = 16

    init(engine: LoopEngine) throws(IOError) {
        self.engine = engine
        epfd = try Syscall.check("epoll_create1") { epoll_create1(Int32(EPOLL_CLOEXEC)) }
        events = .allocate(capacity: eventCapacity)
        readBuffer = .allocate(byteCount: engine.configuration.epollReadBufferSize, alignment: 16)
        iovecCapacity = engine.configuration.maxIovecsPerSend
        iovecs = .allocate(capacity: iovecCapacity)
        control(EPOLL_CTL_ADD, engine.loop.wakeFD, EPOLLIN.rawValue, UserData(kind: .wake, slot: 0))
    }

    @discardableResult
    private func control(_ op: Int32, _ fd: Int32, _ mask: UInt32, _ data: UserData) -> Int32 {
        var event = epoll_event()
        event.events = mask
        event.data.u64 = data.raw
        return epoll_ctl(epfd, op, fd, &event) == 0 ? 0 : errno
    }

    func arm(_ listener: Listener) {
        guard !listener.isClosed, !listener.armed else { return }
        control(EPOLL_CTL_ADD, listener.fd, EPOLLIN.rawValue, UserData(kind: .accept, slot: listener.slot))
        listener.armed = true
    }

    func disarm(_ listener: Listener) {
        guard listener.armed else { return }
        control(EPOLL_CTL_DEL, listener.fd, 0, UserData(raw: 0))
        listener.armed = false
    }

    func register(_ connection: Connection) {
        let mask = EPOLLIN.rawValue | EPOLLOUT.rawValue | EPOLLRDHUP.rawValue | EPOLLET.rawValue
        let data = UserData(kind: .connection, slot: connection.id.slot, generation: connection.id.generation)
        let rc = control(EPOLL_CTL_ADD, connection.fd, mask, data)
        if rc != 0 && rc != EEXIST { engine.didFail(connection, IOError("epoll_ctl", errno: rc)) }
    }

    func awaitConnect(_ connection: Connection) {
        register(connection)  // the first EPOLLOUT tells the connect finished
    }

    /// Writes as much of the queue as the socket takes. `sendInFlight` here
    /// means "waiting for EPOLLOUT".
    func startSend(_ connection: Connection) {
        while !connection.sendQueue.isEmpty {
            let count = connection.sendQueue.gather(into: iovecs, capacity: iovecCapacity)
            let written = writev(connection.fd, iovecs, Int32(count))
            if written > 0 {
                connection.sendQueue.consume(written)
                continue
            }
            let code = errno
            if written < 0 && code == EINTR { continue }
            if written < 0 && (code == EAGAIN || code == EWOULDBLOCK) {
                connection.sendInFlight = true
                return
            }
            engine.didFail(connection, IOError("writev", errno: code))
            return
        }
        connection.sendInFlight = false
        engine.didSend(connection)
    }

    func shutdown(_ connection: Connection) {
        // No kernel operation outlives the call: the descriptor can go at once.
        connection.sendInFlight = false
        connection.recvArmed = false
    }

    func wait(timeout: UInt64?) {
        var milliseconds: Int32 = -1
        if let timeout { milliseconds = Int32(min((timeout + 999_999) / 1_000_000, 60_000)) }
        if !pendingReads.isEmpty { milliseconds = 0 }
        let n = epoll_wait(epfd, events, Int32(eventCapacity), milliseconds)
        // The wait may have lasted long: deadlines set while handling the events (a new
        // connection's handshake timer) must count from now, not from before the wait.
        engine.refreshClock()
        if !pendingReads.isEmpty {
            let pending = pendingReads
            pendingReads.removeAll(keepingCapacity: true)
            for connection in pending where connection.state != .closed && connection.state != .closing {
                readAvailable(connection)
            }
        }
        guard n > 0 else { return }
        for i in 0..<Int(n) {
            let event = events[i]
            let data = UserData(raw: event.data.u64)
            switch data.kind {
            case .connection:
                guard let connection = engine.connection(slot: data.slot, generation24: data.generation24) else { continue }
                handle(connection, events: event.events)
            case .accept:
                guard Int(data.slot) < engine.listeners.count else { continue }
                acceptAll(engine.listeners[Int(data.slot)])
            case .wake:
                var value: UInt64 = 0
                _ = read(engine.loop.wakeFD, &value, 8)
            case .recv, .send, .connect, .ignored, .none:
                break
            }
        }
    }

    private func handle(_ connection: Connection, events: UInt32) {
        if connection.state == .connecting {
            if events & (EPOLLOUT.rawValue | EPOLLERR.rawValue | EPOLLHUP.rawValue) != 0 {
                engine.connectFinished(connection, error: Socket.pendingError(connection.fd))
            }
            return
        }
        if events & (EPOLLIN.rawValue | EPOLLRDHUP.rawValue | EPOLLHUP.rawValue | EPOLLERR.rawValue) != 0 {
            readAvailable(connection)
        }
        if events & EPOLLOUT.rawValue != 0, connection.sendInFlight,
           connection.state != .closing, connection.state != .closed {
            connection.sendInFlight = false
            startSend(connection)
        }
    }

    private func readAvailable(_ connection: Connection) {
        for _ in 0..<readsPerEvent {
            let n = read(connection.fd, readBuffer.baseAddress, readBuffer.count)
            if n > 0 {
                engine.didRead(connection, UnsafeRawBufferPointer(rebasing: readBuffer[0..<n]))
                if connection.state == .closing || connection.state == .closed { return }
                if n < readBuffer.count { return }  // drained (a short read means nothing is left)
                continue
            }
            if n == 0 {
                engine.didReadEOF(connection)
                return
            }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return }
            engine.didFail(connection, IOError("read", errno: code))
            return
        }
        pendingReads.append(connection)
    }

    private func acceptAll(_ listener: Listener) {
        for _ in 0..<64 {
            let fd = clinux_accept4(listener.fd, Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue))
            if fd >= 0 {
                engine.accepted(fd: fd, listener: listener)
                if listener.isClosed { return }
                continue
            }
            let code = errno
            if code == EINTR || code == ECONNABORTED { continue }
            if code == EAGAIN || code == EWOULDBLOCK { return }
            // EMFILE/ENFILE: the listener is level-triggered, so step back for a moment.
            engine.logger.warning("accept failed; retrying in 100 ms", metadata: [
                "error": "\(IOError("accept", errno: code))", "listen": "\(listener.address)",
            ])
            disarm(listener)
            engine.schedule(after: 100_000_000) { [weak self, weak listener] in
                if let self, let listener { self.arm(listener) }
            }
            return
        }
    }

    func close() {
        Glibc.close(epfd)
        events.deallocate()
        readBuffer.deallocate()
        iovecs.deallocate()
    }
}
