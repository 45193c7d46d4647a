import CLinux
import CURing
import Dispatch
import Glibc
import Logging
import Synchronization

/// One event loop per core, each on its own thread with its own ring (or
/// epoll instance), listening socket (SO_REUSEPORT) and connections.
public final class EventLoopGroup: Sendable {
    public let loops: [EventLoop]
    public let backend: IOBackendKind
    private let threads: Mutex<[pthread_t]>

    /// Starts `threadCount` loops. Each loop's engine is created on its own
    /// thread (a SINGLE_ISSUER ring must be), and this returns once all are
    /// running, or throws the first start-up error.
    public init(
        threadCount: Int,
        backend: IOBackendKind,
        configuration: LoopConfiguration = .init(),
        logger: Logger
    ) throws {
        precondition(threadCount > 0)
        self.backend = backend
        var loops: [EventLoop] = []
        for index in 0..<threadCount { loops.append(try EventLoop(index: index, backend: backend)) }
        self.loops = loops
        var started: [pthread_t] = []
        var firstError: (any Error)?
        for loop in loops {
            let start = LoopStart(loop: loop, configuration: configuration, logger: logger)
            let box = Unmanaged.passRetained(start).toOpaque()
            var thread = pthread_t()
            let rc = pthread_create(&thread, nil, eventLoopThreadMain, box)
            guard rc == 0 else {
                Unmanaged<LoopStart>.fromOpaque(box).release()
                firstError = IOError("pthread_create", errno: rc)
                break
            }
            started.append(thread)
            start.ready.wait()
            if let error = start.startError.withLock({ $0 }) {
                firstError = error
                break
            }
        }
        threads = Mutex(started)
        if let firstError {
            shutdown()
            throw firstError
        }
    }

    /// The number of cores this process may run on.
    public static var coreCount: Int {
        let count = Int(clinux_affinity_cpu_count())
        if count > 0 { return count }
        return max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN))))
    }

    /// Runs `task` on every loop.
    public func executeOnAll(_ task: @escaping EventLoop.Task) {
        for loop in loops { loop.execute(task) }
    }

    /// Stops every loop (closing what is still open) and joins the threads.
    public func shutdown() {
        executeOnAll { engine in engine.stop() }
        let joined = threads.withLock { threads -> [pthread_t] in
            let all = threads
            threads = []
            return all
        }
        for thread in joined { pthread_join(thread, nil) }
    }
}

/// Start-up parameters handed to a loop thread, and the outcome handed back.
private final class LoopStart: Sendable {
    let loop: EventLoop
    let configuration: LoopConfiguration
    let logger: Logger
    let ready = DispatchSemaphore(value: 0)
    let startError = Mutex<(any Error)?>(nil)

    init(loop: EventLoop, configuration: LoopConfiguration, logger: Logger) {
        self.loop = loop
        self.configuration = configuration
        self.logger = logger
    }
}

/// Thread entry point: a global function (a closure written in main-actor code
/// would inherit main-actor isolation and trap on this thread).
private func eventLoopThreadMain(_ argument: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    let start = Unmanaged<LoopStart>.fromOpaque(argument!).takeRetainedValue()
    let name = "hubbub-loop-\(start.loop.index)"
    _ = clinux_set_thread_name(String(name.prefix(15)))
    start.loop.thread.store(UInt(pthread_self()), ordering: .relaxed)
    let engine: LoopEngine
    do {
        engine = try LoopEngine(loop: start.loop, configuration: start.configuration, logger: start.logger)
    } catch {
        start.startError.withLock { $0 = error }
        start.ready.signal()
        return nil
    }
    start.ready.signal()
    engine.run()
    return nil
}
