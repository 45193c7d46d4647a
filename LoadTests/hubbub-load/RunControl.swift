import Synchronization

/// The phase of the run, set by the coordinating task and read by the loop threads
/// where their behaviour depends on it: a loop opens new connections only while
/// `connecting`, and connections send messages only while `running`.
final class RunControl: Sendable {
    enum Phase: UInt8, Sendable {
        /// Connections are being opened.
        case connecting
        /// Connecting is over (all up, or the connect timeout passed); nothing is sent yet.
        case connected
        /// The measured phase: echo mode sends messages.
        case running
        /// The measured phase is over: no new messages, outstanding echoes still count.
        case draining
        /// Closing handshakes are under way.
        case closing
    }

    private let value = Atomic<UInt8>(Phase.connecting.rawValue)

    var phase: Phase {
        Phase(rawValue: value.load(ordering: .acquiring)) ?? .closing
    }

    func enter(_ phase: Phase) {
        value.store(phase.rawValue, ordering: .releasing)
    }
}
