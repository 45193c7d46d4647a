import Logging
/// The address of a session that any thread may hold: the loop it lives on and its key
/// in that loop's ``LoopSessions``. Sessions themselves never leave their loop thread.
struct SessionRef: Sendable, Hashable, CustomStringConvertible {
    let loop: Int
    let key: UInt64

    var description: String { "s\(loop).\(key)" }
}
