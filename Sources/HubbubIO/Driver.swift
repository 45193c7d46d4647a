/// The backend of a loop, dispatched by a switch rather than an existential so
/// the hot calls stay direct. Both drivers report to the engine through the
/// same few methods (`accepted`, `didRead`, `didSend`, `didFail`, ...), which
/// is why the two backends behave alike and pass the same tests.
enum Driver {
    case uring(UringDriver)
    case epoll(EpollDriver)

    func arm(_ listener: Listener) {
        switch self {
        case .uring(let d): d.arm(listener)
        case .epoll(let d): d.arm(listener)
        }
    }

    func disarm(_ listener: Listener) {
        switch self {
        case .uring(let d): d.disarm(listener)
        case .epoll(let d): d.disarm(listener)
        }
    }

    func armConnection(_ connection: Connection) {
        switch self {
        case .uring(let d): d.armReceive(connection)
        case .epoll(let d): d.register(connection)
        }
    }

    func awaitConnect(_ connection: Connection) {
        switch self {
        case .uring(let d): d.awaitConnect(connection)
        case .epoll(let d): d.awaitConnect(connection)
        }
    }

    @inline(__always)
    func startSend(_ connection: Connection) {
        switch self {
        case .uring(let d): d.startSend(connection)
        case .epoll(let d): d.startSend(connection)
        }
    }

    func shutdown(_ connection: Connection) {
        switch self {
        case .uring(let d): d.shutdown(connection)
        case .epoll(let d): d.shutdown(connection)
        }
    }

    func releaseSendResources(_ connection: Connection) {
        switch self {
        case .uring(let d): d.releaseSendSlot(connection)
        case .epoll: break
        }
    }

    func wait(timeout: UInt64?) {
        switch self {
        case .uring(let d): d.wait(timeout: timeout)
        case .epoll(let d): d.wait(timeout: timeout)
        }
    }

    func drainForTeardown() {
        switch self {
        case .uring(let d): d.drainForTeardown()
        case .epoll: break
        }
    }

    func shutdownDriver() {
        switch self {
        case .uring(let d): d.close()
        case .epoll(let d): d.close()
        }
    }
}
