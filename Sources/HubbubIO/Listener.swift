import CLinux
import CURing
import Glibc

/// A listening socket owned by one event loop. With `SO_REUSEPORT` each loop
/// has its own, and the kernel spreads incoming connections across them.
public final class Listener {
    let fd: Int32
    let slot: UInt32
    public let address: SocketAddress
    let onAccept: (Connection) -> Void
    var armed = false
    public internal(set) var isClosed = false

    init(fd: Int32, slot: UInt32, address: SocketAddress, onAccept: @escaping (Connection) -> Void) {
        self.fd = fd
        self.slot = slot
        self.address = address
        self.onAccept = onAccept
    }
}
