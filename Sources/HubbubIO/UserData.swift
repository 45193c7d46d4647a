/// The 64-bit tag carried by every io_uring submission and epoll registration,
/// telling a completion what it belongs to:
///
///     bits 63...56  kind (UserData.Kind)
///     bits 55...32  low 24 bits of the slot's generation (stale completions are recognised)
///     bits 31...0   slot index (connection table, or listener table for accepts)
struct UserData: Equatable {
    enum Kind: UInt8 {
        case accept = 1
        case recv = 2
        case send = 3
        case wake = 4
        case connect = 5
        case ignored = 6
        case connection = 7  // epoll: events of a connected socket
    }

    var raw: UInt64

    init(raw: UInt64) { self.raw = raw }

    init(kind: Kind, slot: UInt32, generation: UInt32 = 0) {
        raw = UInt64(kind.rawValue) << 56 | UInt64(generation & 0xFF_FFFF) << 32 | UInt64(slot)
    }

    var kind: Kind? { Kind(rawValue: UInt8(truncatingIfNeeded: raw >> 56)) }
    var slot: UInt32 { UInt32(truncatingIfNeeded: raw) }
    var generation24: UInt32 { UInt32(truncatingIfNeeded: raw >> 32) & 0xFF_FFFF }
}
