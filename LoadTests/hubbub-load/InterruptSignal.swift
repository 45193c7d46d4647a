import Dispatch
import Glibc
import Synchronization

/// Whether the user asked to stop (SIGINT or SIGTERM). The coordinating task polls it
/// between phases and ends the current one early; the run still closes its
/// connections properly and reports what it measured.
final class InterruptFlag: Sendable {
    private let raised = Atomic<Bool>(false)

    var isRaised: Bool { raised.load(ordering: .relaxed) }

    /// Sets the flag; returns whether it was already set.
    func raise() -> Bool {
        raised.exchange(true, ordering: .relaxed)
    }
}

/// Catches SIGINT and SIGTERM through Dispatch and raises `flag`. A second signal exits
/// at once (status 130), for a run that is stuck.
final class InterruptSignal {
    let flag = InterruptFlag()
    private var sources: [any DispatchSourceSignal] = []

    init() {
        for number in [SIGINT, SIGTERM] {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { [flag] in
                if flag.raise() {
                    _exit(130)
                }
                StandardError.write("hubbub-load: interrupted; ending this phase, closing connections (again to quit at once)\n")
            }
            source.resume()
            sources.append(source)
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
