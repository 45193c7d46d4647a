/// The tunables of a ``PresenceRoom``. Durations are nanoseconds.
public struct PresenceConfiguration: Sendable, Hashable {
    /// How long a user whose last connection closed stays present (showing that connection's
    /// meta) before they leave. A connection of theirs joining in that time cancels the leave.
    /// 0 disables the grace. Default 5 s.
    public var gracePeriod: UInt64
    /// How long changes accumulate before a diff is due, from the first change after a flush.
    /// At most one diff goes out per window. 0 sends each change at the next flush.
    /// Default 50 ms.
    public var batchWindow: UInt64
    /// The room switches to counts mode when it has more users than this. Default 200.
    public var largeRoomThreshold: Int
    /// The room switches back to full mode when it has this many users or fewer; at most
    /// `largeRoomThreshold`. Default 150.
    public var largeRoomExitThreshold: Int
    /// The largest ``PresenceValue/jsonByteCount`` of a connection's state. Default 1024.
    public var maxMetaBytes: Int
    /// The sustained rate of state updates per connection. Default 5 per second.
    public var updatesPerSecond: Double
    /// The most state updates a connection may make at once. Default 10.
    public var updateBurst: Int

    public init(
        gracePeriod: UInt64 = 5_000_000_000,
        batchWindow: UInt64 = 50_000_000,
        largeRoomThreshold: Int = 200,
        largeRoomExitThreshold: Int = 150,
        maxMetaBytes: Int = 1024,
        updatesPerSecond: Double = 5,
        updateBurst: Int = 10
    ) {
        self.gracePeriod = gracePeriod
        self.batchWindow = batchWindow
        self.largeRoomThreshold = largeRoomThreshold
        self.largeRoomExitThreshold = largeRoomExitThreshold
        self.maxMetaBytes = maxMetaBytes
        self.updatesPerSecond = updatesPerSecond
        self.updateBurst = updateBurst
    }
}
