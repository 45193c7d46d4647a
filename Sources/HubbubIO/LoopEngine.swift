import CLinux
import CURing
import Glibc
import Logging

/// The state of one event loop, confined to its thread: the connection table,
/// timers, the list of connections with bytes to flush, and the backend driver
/// (io_uring or epoll) that talks to the kernel. Everything else in Hubbub
/// reaches it through `EventLoop.execute` or by running on the loop's thread.
public final class LoopEngine {
    public let loop: EventLoop
    public let logger: Logger
    public let configuration: LoopConfiguration
    var driver: Driver!

    private var slots: [Connection?] = []
    private var generations: [UInt32] = []
    private var freeSlots: [UInt32] = []
    var listeners: [Listener] = []
    var dirty: [Connection] = []
    private var timers = TimerHeap<() -> Void>()
    private var running = true
    public private(set) var connectionCount = 0
    private var cachedNow: UInt64 = MonotonicClock.now()

    init(loop: EventLoop, configuration: LoopConfiguration, logger: Logger) throws(IOError) {
        self.loop = loop
        self.configuration = configuration
        self.logger = logger
        switch loop.backend {
        case .uring: driver = .uring(try UringDriver(engine: self))
        case .epoll: driver = .epoll(try EpollDriver(engine: self))
        }
    }

    // MARK: Public API (loop thread only)

    /// Monotonic nanoseconds, refreshed once per loop iteration.
    public var now: UInt64 { cachedNow }

    /// Reads the clock again; the drivers call it when their wait for the kernel returns.
    func refreshClock() {
        cachedNow = MonotonicClock.now()
    }

    /// Listens on `address`; `onAccept` must give each new connection a handler.
    public func listen(
        on address: SocketAddress,
        reusePort: Bool = true,
        onAccept: @escaping (Connection) -> Void
    ) throws(IOError) -> Listener {
        let nonBlocking = loop.backend == .epoll  // io_uring wants blocking sockets (see UringDriver)
        let fd = try Socket.listen(address, backlog: configuration.listenBacklog, reusePort: reusePort, nonBlocking: nonBlocking)
        let bound = Socket.localAddress(fd) ?? address
        let listener = Listener(fd: fd, slot: UInt32(listeners.count), address: bound, onAccept: onAccept)
        listeners.append(listener)
        driver.arm(listener)
        return listener
    }

    /// Stops accepting on every listener of this loop.
    public func closeAllListeners() {
        for listener in listeners { closeListener(listener) }
    }

    public func closeListener(_ listener: Listener) {
        guard !listener.isClosed else { return }
        listener.isClosed = true
        driver.disarm(listener)
        Glibc.close(listener.fd)
    }

    /// Opens an outbound connection; `handler` hears `connectionDidOpen` or a close with the error.
    @discardableResult
    public func connect(to address: SocketAddress, handler: any ConnectionHandler, maxQueuedBytes: Int? = nil) throws(IOError) -> Connection {
        let (fd, connected) = try Socket.startConnect(address)
        let connection = register(fd: fd, state: connected ? .open : .connecting, maxQueuedBytes: maxQueuedBytes)
        connection.handler = handler
        if connected {
            if loop.backend == .uring { Socket.setBlocking(fd) }  // see UringDriver: the ring wants blocking sockets
            driver.armConnection(connection)
            handler.connectionDidOpen(connection)
        } else {
            driver.awaitConnect(connection)
        }
        return connection
    }

    public func connection(_ id: ConnectionID) -> Connection? {
        guard id.loop == loop.index, Int(id.slot) < slots.count, let c = slots[Int(id.slot)],
              c.id.generation == id.generation else { return nil }
        return c
    }

    public func forEachConnection(_ body: (Connection) -> Void) {
        for case let c? in slots { body(c) }
    }

    @discardableResult
    public func schedule(at deadline: UInt64, _ body: @escaping () -> Void) -> TimerID {
        timers.schedule(at: deadline, body)
    }

    @discardableResult
    public func schedule(after delay: UInt64, _ body: @escaping () -> Void) -> TimerID {
        timers.schedule(at: MonotonicClock.now() &+ delay, body)
    }

    public func cancel(_ timer: TimerID) {
        timers.cancel(timer)
    }

    /// Ends the loop after the current iteration; open connections are closed.
    public func stop() {
        running = false
    }

    // MARK: Run loop

    func run() {
        while running {
            runInbox()
            cachedNow = MonotonicClock.now()
            runTimers()
            flushDirty()
            guard running else { break }
            var timeout: UInt64? = nil
            if let deadline = timers.nextDeadline() {
                let now = MonotonicClock.now()
                timeout = deadline > now ? deadline - now : 0
            }
            if !dirty.isEmpty { timeout = 0 }
            let sleeping = (timeout ?? 1) > 0 && loop.prepareToSleep()
            driver.wait(timeout: sleeping ? timeout : 0)
            if sleeping { loop.didWake() }
            cachedNow = MonotonicClock.now()
        }
        teardown()
    }

    private func runInbox() {
        let executor = loop.asUnownedSerialExecutor()
        for work in loop.takeWork() {
            switch work {
            case .task(let task): task(self)
            case .job(let job): job.runSynchronously(on: executor)
            }
        }
    }

    private func runTimers() {
        let now = cachedNow
        while let body = timers.popDue(now: now) { body() }
    }

    func flushDirty() {
        while !dirty.isEmpty {
            let batch = dirty
            dirty.removeAll(keepingCapacity: true)
            for connection in batch {
                connection.isDirty = false
                flush(connection)
            }
        }
    }

    private func flush(_ connection: Connection) {
        switch connection.state {
        case .open, .draining:
            if !connection.sendQueue.isEmpty {
                if !connection.sendInFlight { driver.startSend(connection) }
            } else if connection.state == .draining && !connection.sendInFlight {
                beginLinger(connection)
            }
        case .connecting, .lingering, .closing, .closed:
            break
        }
    }

    private func teardown() {
        for listener in listeners { closeListener(listener) }
        forEachConnection { close($0, mode: .immediately) }
        driver.drainForTeardown()
        // Whatever is still registered is released now, in-flight or not: the ring is going away.
        forEachConnection { release($0) }
        driver.shutdownDriver()
        driver = nil
    }

    // MARK: Connection lifecycle (called by the drivers)

    func register(fd: Int32, state: Connection.State, maxQueuedBytes: Int?) -> Connection {
        let slot: UInt32
        if let free = freeSlots.popLast() {
            slot = free
        } else {
            slot = UInt32(slots.count)
            slots.append(nil)
            generations.append(0)
        }
        let id = ConnectionID(loop: loop.index, slot: slot, generation: generations[Int(slot)])
        let connection = Connection(
            id: id, fd: fd, engine: self, state: state,
            maxQueuedBytes: maxQueuedBytes ?? configuration.maxQueuedBytesPerConnection)
        slots[Int(slot)] = connection
        connectionCount += 1
        return connection
    }

    @inline(__always)
    func connection(slot: UInt32, generation24: UInt32) -> Connection? {
        guard Int(slot) < slots.count, let c = slots[Int(slot)],
              c.id.generation & 0xFF_FFFF == generation24 else { return nil }
        return c
    }

    func accepted(fd: Int32, listener: Listener) {
        Socket.configureAccepted(fd)
        let connection = register(fd: fd, state: .open, maxQueuedBytes: nil)
        listener.onAccept(connection)
        guard connection.state == .open || connection.state == .draining else { return }
        driver.armConnection(connection)
        connection.handler?.connectionDidOpen(connection)
    }

    func connectFinished(_ connection: Connection, error: Int32) {
        guard connection.state == .connecting else { return }
        if error != 0 {
            connection.closeError = IOError("connect", errno: error)
            close(connection, mode: .immediately)
            return
        }
        connection.state = .open
        driver.armConnection(connection)
        connection.handler?.connectionDidOpen(connection)
        if !connection.sendQueue.isEmpty { connection.markDirty() }
    }

    @inline(__always)
    func didRead(_ connection: Connection, _ bytes: UnsafeRawBufferPointer) {
        guard connection.state == .open else { return }  // draining/lingering: discard
        connection.handler?.connection(connection, didRead: bytes)
    }

    func didReadEOF(_ connection: Connection) {
        close(connection, mode: .immediately)
    }

    func didFail(_ connection: Connection, _ error: IOError) {
        if connection.closeError == nil, error.errnoCode != ECONNRESET, error.errnoCode != EPIPE {
            connection.closeError = error
        }
        close(connection, mode: .immediately)
    }

    /// The driver handed bytes to the kernel and consumed them from the queue;
    /// no send is in flight any more.
    func didSend(_ connection: Connection) {
        switch connection.state {
        case .open, .draining:
            if connection.sendQueue.isEmpty {
                if connection.state == .draining {
                    beginLinger(connection)
                } else {
                    connection.handler?.connectionDidDrain(connection)
                }
            } else {
                driver.startSend(connection)
            }
        case .closing:
            maybeRelease(connection)
        case .connecting, .lingering, .closed:
            break
        }
    }

    func close(_ connection: Connection, mode: Connection.CloseMode) {
        switch connection.state {
        case .closing, .closed:
            return
        case .lingering:
            if mode == .afterFlush { return }
        case .draining:
            if mode == .afterFlush { return }
        case .open:
            if mode == .afterFlush {
                connection.state = .draining
                connection.markDirty()
                if connection.sendQueue.isEmpty && !connection.sendInFlight { beginLinger(connection) }
                return
            }
        case .connecting:
            break
        }
        if let timer = connection.lingerTimer {
            cancel(timer)
            connection.lingerTimer = nil
        }
        connection.state = .closing
        driver.shutdown(connection)
        maybeRelease(connection)
    }

    private func beginLinger(_ connection: Connection) {
        guard connection.state == .draining else { return }
        connection.state = .lingering
        _ = Glibc.shutdown(connection.fd, Int32(SHUT_WR))
        let id = connection.id
        connection.lingerTimer = schedule(after: configuration.lingerTimeout) { [unowned self] in
            if let c = self.connection(id) {
                c.lingerTimer = nil
                self.close(c, mode: .immediately)
            }
        }
    }

    /// Releases the slot once no kernel operation refers to the connection.
    func maybeRelease(_ connection: Connection) {
        guard connection.state == .closing, !connection.sendInFlight, !connection.recvArmed else { return }
        release(connection)
    }

    private func release(_ connection: Connection) {
        guard connection.state != .closed else { return }
        connection.state = .closed
        driver.releaseSendResources(connection)
        connection.sendQueue.removeAll()
        Glibc.close(connection.fd)
        let slot = Int(connection.id.slot)
        slots[slot] = nil
        generations[slot] &+= 1
        freeSlots.append(UInt32(slot))
        connectionCount -= 1
        let handler = connection.handler
        connection.handler = nil
        handler?.connectionDidClose(connection, error: connection.closeError)
    }
}
