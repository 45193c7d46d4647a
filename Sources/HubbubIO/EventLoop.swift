import CURing
import CLinux
import Glibc
import Synchronization

/// The thread-safe handle of one event loop: the only way in from another
/// thread. Work is handed over in batches through a locked queue and the loop
/// is woken through its eventfd only when it is asleep.
///
/// It is also a `SerialExecutor`, so actors can be pinned to a loop thread
/// (`nonisolated var unownedExecutor`) and reach that loop's connections
/// without hopping threads per message.
public final class EventLoop: SerialExecutor, Sendable, CustomStringConvertible {
    public typealias Task = @Sendable (LoopEngine) -> Void

    enum Work {
        case task(Task)
        case job(UnownedJob)
    }

    struct Inbox: ~Copyable {
        var work: [Work] = []
        var sleeping = false
        var woken = false
    }

    public let index: Int
    public let backend: IOBackendKind
    let wakeFD: Int32
    let inbox = Mutex(Inbox())
    let thread = Atomic<UInt>(0)

    init(index: Int, backend: IOBackendKind) throws(IOError) {
        self.index = index
        self.backend = backend
        self.wakeFD = try Syscall.check("eventfd") { eventfd(0, Int32(EFD_NONBLOCK | EFD_CLOEXEC)) }
    }

    deinit {
        close(wakeFD)
    }

    /// Whether the caller runs on this loop's thread.
    public var inEventLoop: Bool {
        thread.load(ordering: .relaxed) == UInt(pthread_self())
    }

    public var description: String { "loop-\(index)(\(backend))" }

    /// Runs `task` on the loop thread, with its engine.
    public func execute(_ task: @escaping Task) {
        push(.task(task))
    }

    public func enqueue(_ job: consuming ExecutorJob) {
        push(.job(UnownedJob(job)))
    }

    public func asUnownedSerialExecutor() -> UnownedSerialExecutor {
        UnownedSerialExecutor(ordinary: self)
    }

    private func push(_ work: Work) {
        let mustWake = inbox.withLock { inbox -> Bool in
            inbox.work.append(work)
            if inbox.sleeping && !inbox.woken {
                inbox.woken = true
                return true
            }
            return false
        }
        if mustWake { signalWake() }
    }

    func signalWake() {
        var one: UInt64 = 1
        _ = write(wakeFD, &one, 8)
    }

    /// Called by the loop before it blocks: false if work arrived meanwhile.
    func prepareToSleep() -> Bool {
        inbox.withLock { inbox in
            if !inbox.work.isEmpty { return false }
            inbox.sleeping = true
            inbox.woken = false
            return true
        }
    }

    func didWake() {
        inbox.withLock { inbox in inbox.sleeping = false }
    }

    func takeWork() -> [Work] {
        inbox.withLock { inbox in
            if inbox.work.isEmpty { return [] }
            let work = inbox.work
            inbox.work = []
            return work
        }
    }
}
