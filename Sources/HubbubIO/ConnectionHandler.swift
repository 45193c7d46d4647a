/// What a connection's owner hears from the event loop. Every call happens on
/// the connection's loop thread, in order.
public protocol ConnectionHandler: AnyObject {
    /// The connection is established (accepted, or an outbound connect finished).
    func connectionDidOpen(_ connection: Connection)
    /// Bytes arrived. `bytes` is only valid during the call (it points into the
    /// loop's shared receive buffers): copy what must outlive it.
    func connection(_ connection: Connection, didRead bytes: UnsafeRawBufferPointer)
    /// Everything queued so far has been handed to the kernel.
    func connectionDidDrain(_ connection: Connection)
    /// The connection is gone (closed by either side, or failed to connect);
    /// no further calls follow. `error` is nil for an orderly close.
    func connectionDidClose(_ connection: Connection, error: IOError?)
}

extension ConnectionHandler {
    public func connectionDidDrain(_ connection: Connection) {}
}

/// A connection's address that can cross threads: which loop, and which slot
/// in that loop's table (the generation tells a reused slot from the old one).
public struct ConnectionID: Hashable, Sendable, CustomStringConvertible {
    public let loop: Int
    let slot: UInt32
    let generation: UInt32

    public var description: String { "\(loop).\(slot).\(generation)" }
}
