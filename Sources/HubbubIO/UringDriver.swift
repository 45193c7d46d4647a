import CURing
import CLinux
import Glibc
import Logging

/// The io_uring backend (liburing 2.3, kernel 6.0+):
/// - multishot accept per listener (5.19), re-armed when a completion lacks `F_MORE`;
/// - multishot receive into a provided buffer ring (6.0; ring set up by hand,
///   see `ProvidedBufferRing`); `-ENOBUFS` ends the multishot and is treated as
///   backpressure: buffers go back, then the receive is re-armed;
/// - one `sendmsg` in flight per socket, gathering every queued chunk into
///   iovecs; short sends resume where the kernel stopped;
/// - a multishot poll on the loop's eventfd for wake-ups from other threads;
/// - timers as the timeout of `io_uring_submit_and_wait_timeout`;
/// - `SINGLE_ISSUER | DEFER_TASKRUN` rings (6.1), created on the loop thread,
///   falling back to `COOP_TASKRUN` and then to no flags.
/// Sockets used with the ring are blocking: io_uring arms its own poll, and
/// O_NONBLOCK would turn some operations into `-EAGAIN` completions.
final class UringDriver {
    unowned let engine: LoopEngine
    private let ring: UnsafeMutablePointer<io_uring>
    private let buffers: ProvidedBufferRing
    private let cqes: UnsafeMutablePointer<UnsafeMutablePointer<io_uring_cqe>?>
    private let cqeBatch = 256
    private let iovecsPerSend: Int
    private var sendPool: [UnsafeMutableRawPointer] = []   // blocks of send slots, never moved
    private var freeSendSlots: [Int32] = []
    private let sendSlotsPerBlock = 64
    private var receiveRearms: [Connection] = []
    private var loggedEnterError = false

    private static let bufferGroup: UInt16 = 1

    init(engine: LoopEngine) throws(IOError) {
        self.engine = engine
        let configuration = engine.configuration
        ring = .allocate(capacity: 1)
        var rc: Int32 = -EINVAL
        let flagSets: [UInt32] = [
            IORING_SETUP_SINGLE_ISSUER | IORING_SETUP_DEFER_TASKRUN,
            IORING_SETUP_COOP_TASKRUN,
            0,
        ]
        for flags in flagSets {
            var params = io_uring_params()
            params.flags = flags
            rc = io_uring_queue_init_params(configuration.ringEntries, ring, &params)
            if rc >= 0 { break }
        }
        guard rc >= 0 else {
            ring.deallocate()
            throw IOError("io_uring_queue_init", errno: -rc)
        }
        do {
            buffers = try ProvidedBufferRing(
                ring: ring, groupID: Self.bufferGroup,
                entries: configuration.receiveBufferCount, bufferSize: configuration.receiveBufferSize)
        } catch {
            io_uring_queue_exit(ring)
            ring.deallocate()
            throw error
        }
        iovecsPerSend = configuration.maxIovecsPerSend
        cqes = .allocate(capacity: cqeBatch)
        armWake()
    }

    // MARK: Submissions

    @inline(__always)
    private func sqe() -> UnsafeMutablePointer<io_uring_sqe> {
        if let entry = io_uring_get_sqe(ring) { return entry }
        _ = io_uring_submit(ring)
        guard let entry = io_uring_get_sqe(ring) else {
            fatalError("io_uring submission queue still full after io_uring_submit")
        }
        return entry
    }

    private func armWake() {
        let entry = sqe()
        io_uring_prep_poll_multishot(entry, engine.loop.wakeFD, UInt32(POLLIN))
        io_uring_sqe_set_data64(entry, UserData(kind: .wake, slot: 0).raw)
    }

    func arm(_ listener: Listener) {
        guard !listener.isClosed else { return }
        let entry = sqe()
        io_uring_prep_multishot_accept(entry, listener.fd, nil, nil, Int32(SOCK_CLOEXEC.rawValue))
        io_uring_sqe_set_data64(entry, UserData(kind: .accept, slot: listener.slot).raw)
        listener.armed = true
    }

    func disarm(_ listener: Listener) {
        guard listener.armed else { return }
        cancel(UserData(kind: .accept, slot: listener.slot))
        listener.armed = false
    }

    func armReceive(_ connection: Connection) {
        guard !connection.recvArmed else { return }
        let entry = sqe()
        io_uring_prep_recv_multishot(entry, connection.fd, nil, 0, 0)
        entry.pointee.flags |= UInt8(1 << IOSQE_BUFFER_SELECT_BIT)
        entry.pointee.buf_group = Self.bufferGroup
        io_uring_sqe_set_data64(entry, UserData(kind: .recv, slot: connection.id.slot, generation: connection.id.generation).raw)
        connection.recvArmed = true
    }

    func awaitConnect(_ connection: Connection) {
        // The socket was created non-blocking for the connect(2) attempt; make it blocking for the ring.
        Socket.setBlocking(connection.fd)
        let entry = sqe()
        io_uring_prep_poll_add(entry, connection.fd, UInt32(POLLOUT))
        io_uring_sqe_set_data64(entry, UserData(kind: .connect, slot: connection.id.slot, generation: connection.id.generation).raw)
        connection.recvArmed = true  // a kernel operation refers to the connection until it completes
    }

    func startSend(_ connection: Connection) {
        let slot = takeSendSlot()
        let (header, iovecs) = sendSlot(slot)
        let count = connection.sendQueue.gather(into: iovecs, capacity: iovecsPerSend)
        header.pointee = msghdr()
        header.pointee.msg_iov = iovecs
        header.pointee.msg_iovlen = count
        let entry = sqe()
        io_uring_prep_sendmsg(entry, connection.fd, header, UInt32(MSG_NOSIGNAL))
        io_uring_sqe_set_data64(entry, UserData(kind: .send, slot: connection.id.slot, generation: connection.id.generation).raw)
        connection.sendInFlight = true
        connection.sendSlot = slot
    }

    func shutdown(_ connection: Connection) {
        // SHUT_RDWR completes the armed receive with EOF; the cancel covers sends
        // waiting for buffer space and a connect in progress.
        // Cancels match the exact user_data (slot and generation), never the
        // descriptor number: by the time a cancel runs, the number may already
        // belong to a newly accepted connection.
        _ = Glibc.shutdown(connection.fd, Int32(SHUT_RDWR))
        if connection.state == .closing, connection.recvArmed {
            cancel(UserData(kind: .recv, slot: connection.id.slot, generation: connection.id.generation))
            cancel(UserData(kind: .connect, slot: connection.id.slot, generation: connection.id.generation))
        }
        if connection.sendInFlight {
            cancel(UserData(kind: .send, slot: connection.id.slot, generation: connection.id.generation))
        }
    }

    private func cancel(_ target: UserData) {
        let entry = sqe()
        io_uring_prep_cancel64(entry, target.raw, 0)
        io_uring_sqe_set_data64(entry, UserData(kind: .ignored, slot: 0).raw)
    }

    func releaseSendSlot(_ connection: Connection) {
        if connection.sendSlot >= 0 {
            freeSendSlots.append(connection.sendSlot)
            connection.sendSlot = -1
        }
    }

    // Send slots: a msghdr followed by `iovecsPerSend` iovecs, allocated in blocks
    // that never move, because the kernel reads them until the send completes.
    private var sendSlotBytes: Int {
        MemoryLayout<msghdr>.stride + iovecsPerSend * MemoryLayout<iovec>.stride
    }

    private func takeSendSlot() -> Int32 {
        if let slot = freeSendSlots.popLast() { return slot }
        let block = UnsafeMutableRawPointer.allocate(byteCount: sendSlotBytes * sendSlotsPerBlock, alignment: 16)
        let first = Int32(sendPool.count * sendSlotsPerBlock)
        sendPool.append(block)
        for i in stride(from: Int32(sendSlotsPerBlock - 1), to: 0, by: -1) { freeSendSlots.append(first + i) }
        return first
    }

    private func sendSlot(_ slot: Int32) -> (UnsafeMutablePointer<msghdr>, UnsafeMutablePointer<iovec>) {
        let block = sendPool[Int(slot) / sendSlotsPerBlock]
        let base = block + (Int(slot) % sendSlotsPerBlock) * sendSlotBytes
        return (base.assumingMemoryBound(to: msghdr.self),
                (base + MemoryLayout<msghdr>.stride).assumingMemoryBound(to: iovec.self))
    }

    // MARK: Waiting and completions

    func wait(timeout: UInt64?) {
        var cqe: UnsafeMutablePointer<io_uring_cqe>? = nil
        let rc: Int32
        if let timeout {
            if timeout == 0 {
                rc = io_uring_submit_and_get_events(ring)
            } else {
                var ts = __kernel_timespec(tv_sec: Int64(timeout / 1_000_000_000), tv_nsec: Int64(timeout % 1_000_000_000))
                rc = io_uring_submit_and_wait_timeout(ring, &cqe, 1, &ts, nil)
            }
        } else {
            rc = io_uring_submit_and_wait(ring, 1)
        }
        if rc < 0, rc != -ETIME, rc != -EINTR, rc != -EAGAIN, rc != -EBUSY, !loggedEnterError {
            loggedEnterError = true
            engine.logger.error("io_uring_enter failed", metadata: ["errno": "\(-rc)", "error": "\(String(cString: strerror(-rc)))"])
        }
        // The wait may have lasted long: what the completions do (a new connection's
        // handshake deadline) must count from now, not from before the wait.
        engine.refreshClock()
        processCompletions()
    }

    private func processCompletions() {
        while true {
            let n = Int(io_uring_peek_batch_cqe(ring, cqes, UInt32(cqeBatch)))
            if n == 0 { break }
            for i in 0..<n {
                let cqe = cqes[i]!
                handle(userData: UserData(raw: cqe.pointee.user_data), result: cqe.pointee.res, flags: cqe.pointee.flags)
            }
            io_uring_cq_advance(ring, UInt32(n))
            buffers.publishReturns()
        }
        if !receiveRearms.isEmpty {
            let rearms = receiveRearms
            receiveRearms.removeAll(keepingCapacity: true)
            for connection in rearms where connection.state != .closed {
                if connection.state == .closing {
                    engine.maybeRelease(connection)
                } else {
                    armReceive(connection)
                }
            }
        }
    }

    @inline(__always)
    private func handle(userData: UserData, result: Int32, flags: UInt32) {
        switch userData.kind {
        case .recv:
            handleReceive(userData, result, flags)
        case .send:
            handleSend(userData, result)
        case .accept:
            handleAccept(userData, result, flags)
        case .wake:
            var value: UInt64 = 0
            _ = read(engine.loop.wakeFD, &value, 8)
            if flags & IORING_CQE_F_MORE == 0 { armWake() }
        case .connect:
            guard let connection = engine.connection(slot: userData.slot, generation24: userData.generation24) else { return }
            connection.recvArmed = false
            if connection.state == .closing {
                engine.maybeRelease(connection)
            } else {
                let error = result < 0 ? -result : Socket.pendingError(connection.fd)
                engine.connectFinished(connection, error: error)
            }
        case .ignored, .connection, .none:
            break
        }
    }

    @inline(__always)
    private func handleReceive(_ userData: UserData, _ result: Int32, _ flags: UInt32) {
        let hasBuffer = flags & IORING_CQE_F_BUFFER != 0
        let bufferID = UInt16(truncatingIfNeeded: flags >> IORING_CQE_BUFFER_SHIFT)
        guard let connection = engine.connection(slot: userData.slot, generation24: userData.generation24) else {
            if hasBuffer { buffers.giveBack(id: bufferID) }
            return
        }
        let more = flags & IORING_CQE_F_MORE != 0
        if !more { connection.recvArmed = false }
        if result > 0 {
            engine.didRead(connection, buffers.bytes(id: bufferID, count: Int(result)))
            buffers.giveBack(id: bufferID)
            if !more { receiveRearms.append(connection) }
        } else if result == 0 {
            if hasBuffer { buffers.giveBack(id: bufferID) }
            engine.didReadEOF(connection)
        } else if result == -ENOBUFS {
            // The buffer ring ran dry: backpressure. Buffers are returned at the
            // end of this batch; re-arm then.
            receiveRearms.append(connection)
        } else if result == -ECANCELED {
            if !more, connection.state != .closing { receiveRearms.append(connection) }
        } else {
            engine.didFail(connection, IOError("recv", errno: -result))
        }
        if connection.state == .closing { engine.maybeRelease(connection) }
    }

    @inline(__always)
    private func handleSend(_ userData: UserData, _ result: Int32) {
        guard let connection = engine.connection(slot: userData.slot, generation24: userData.generation24) else { return }
        if connection.sendSlot >= 0 {
            freeSendSlots.append(connection.sendSlot)
            connection.sendSlot = -1
        }
        connection.sendInFlight = false
        if result >= 0 {
            if connection.state != .closing { connection.sendQueue.consume(Int(result)) }
            engine.didSend(connection)
        } else if connection.state == .closing {
            engine.maybeRelease(connection)
        } else {
            engine.didFail(connection, IOError("sendmsg", errno: -result))
        }
    }

    private func handleAccept(_ userData: UserData, _ result: Int32, _ flags: UInt32) {
        guard Int(userData.slot) < engine.listeners.count else { return }
        let listener = engine.listeners[Int(userData.slot)]
        if result >= 0 {
            if listener.isClosed {
                Glibc.close(result)
            } else {
                engine.accepted(fd: result, listener: listener)
            }
        }
        if flags & IORING_CQE_F_MORE == 0 {
            listener.armed = false
            guard !listener.isClosed, result != -ECANCELED else { return }
            if result < 0 {
                // EMFILE/ENFILE and friends: log, back off briefly, try again.
                engine.logger.warning("accept failed; retrying in 100 ms", metadata: [
                    "error": "\(IOError("accept", errno: -result))", "listen": "\(listener.address)",
                ])
                engine.schedule(after: 100_000_000) { [weak self, weak listener] in
                    if let self, let listener, !listener.armed { self.arm(listener) }
                }
            } else {
                arm(listener)
            }
        }
    }

    /// At teardown: give shut-down connections up to a second to report their
    /// last completions, so no buffer is freed while the kernel still uses it.
    func drainForTeardown() {
        let deadline = MonotonicClock.now() + 1_000_000_000
        while engine.connectionCount > 0, MonotonicClock.now() < deadline {
            wait(timeout: 10_000_000)
        }
    }

    func close() {
        buffers.unregister(ring: ring)
        io_uring_queue_exit(ring)
        ring.deallocate()
        cqes.deallocate()
        for block in sendPool { block.deallocate() }
        sendPool = []
    }
}
