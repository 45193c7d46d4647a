import CURing
import CLinux
import Glibc

/// Which kernel interface an event loop uses.
public enum IOBackendKind: String, Sendable, CaseIterable, CustomStringConvertible {
    case uring
    case epoll

    public var description: String { rawValue }
}

/// What the operator asked for: `auto` probes io_uring and falls back to epoll.
public enum IOBackendChoice: String, Sendable, CaseIterable {
    case auto
    case uring
    case epoll
}

/// Probes whether io_uring, with every feature the uring loop relies on, is
/// usable here. Docker's and containerd's default seccomp profiles refuse
/// `io_uring_setup` with EPERM, `kernel.io_uring_disabled` can switch it off,
/// and kernels before 6.0 lack multishot receive.
public enum IOBackendProbe {
    /// nil when io_uring is usable, otherwise why not (one line, for the log).
    public static func uringUnavailableReason() -> String? {
        let ring = UnsafeMutablePointer<io_uring>.allocate(capacity: 1)
        defer { ring.deallocate() }
        var params = io_uring_params()
        let rc = io_uring_queue_init_params(8, ring, &params)
        if rc < 0 {
            let code = -rc
            var reason = "io_uring_setup failed: \(String(cString: strerror(code)))"
            if code == EPERM {
                reason += " (refused: a seccomp profile such as Docker's default, or kernel.io_uring_disabled)"
            } else if code == ENOSYS {
                reason += " (kernel built without io_uring)"
            }
            return reason
        }
        defer { io_uring_queue_exit(ring) }
        guard let probe = io_uring_get_probe_ring(ring) else {
            return "io_uring_register(PROBE) failed: kernel too old (need 6.0+)"
        }
        defer { io_uring_free_probe(probe) }
        // SEND_ZC arrived in 6.0, the same release as multishot receive: it stands in for it.
        let needed: [(Int32, String)] = [
            (Int32(IORING_OP_ACCEPT.rawValue), "accept"),
            (Int32(IORING_OP_RECV.rawValue), "recv"),
            (Int32(IORING_OP_SENDMSG.rawValue), "sendmsg"),
            (Int32(IORING_OP_SEND_ZC.rawValue), "multishot recv (kernel 6.0)"),
        ]
        for (op, name) in needed where io_uring_opcode_supported(probe, op) == 0 {
            return "io_uring lacks \(name): kernel too old (need 6.0+)"
        }
        // Provided buffer rings (5.19): register a tiny one and take it down again.
        do {
            let bufferRing = try ProvidedBufferRing(ring: ring, groupID: 0, entries: 2, bufferSize: 64)
            bufferRing.unregister(ring: ring)
        } catch {
            return "io_uring buffer ring registration failed: \(error)"
        }
        return nil
    }

    /// Resolves `auto`; returns the backend and, when falling back, the reason.
    public static func resolve(_ choice: IOBackendChoice) -> (kind: IOBackendKind, fallbackReason: String?) {
        switch choice {
        case .uring: return (.uring, nil)
        case .epoll: return (.epoll, nil)
        case .auto:
            if let reason = uringUnavailableReason() { return (.epoll, reason) }
            return (.uring, nil)
        }
    }
}
