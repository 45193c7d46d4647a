/// Tunables of one event loop. Defaults suit a 2-core machine holding tens of
/// thousands of mostly idle WebSocket connections.
public struct LoopConfiguration: Sendable {
    /// io_uring submission queue entries.
    public var ringEntries: UInt32 = 4096
    /// Provided receive buffers per loop (a power of two, at most 32768) and their size.
    /// Receive memory per loop is `receiveBufferCount * receiveBufferSize`, shared by all connections.
    public var receiveBufferCount: Int = 512
    public var receiveBufferSize: Int = 8192
    /// epoll: the one read buffer each loop reads into.
    public var epollReadBufferSize: Int = 65536
    /// Most iovecs gathered into one send.
    public var maxIovecsPerSend: Int = 128
    /// After a FIN following `close(.afterFlush)`, how long to wait for the peer's FIN.
    public var lingerTimeout: UInt64 = 2_000_000_000
    /// Default bound on each connection's send queue, in bytes.
    public var maxQueuedBytesPerConnection: Int = 4 << 20
    /// Listen backlog.
    public var listenBacklog: Int32 = 4096

    public init() {}
}
