import HubbubJSON
import HubbubPresence
import HubbubWebSocket

/// Every limit and timer of the hub (protocol/README.md section 12), with the protocol's
/// defaults. Durations are nanoseconds unless the name says otherwise.
public struct HubConfiguration: Sendable {
    public static let subprotocol = "hubbub.v1"

    /// Field limits the command decoder enforces.
    public var commands = CommandLimits()
    /// Frame and message limits on `/ws` (close 1009 beyond).
    public var webSocket = WebSocketLimits(maxFrameSize: 65_536, maxMessageSize: 65_536)
    /// Per-connection send queue bound; a connection that lets it fill is closed with 4000.
    public var maxSendQueueBytes = 4 << 20

    public var maxRoomsPerConnection = 50
    public var maxConnectionsPerUser = 20
    public var maxCardsPerBoard = 5000

    public var commandsPerSecond = 10.0
    public var commandsBurst = 30
    public var ephemeralPerSecond = 30.0
    public var ephemeralBurst = 60
    /// Presence: grace, batch window, counts-mode thresholds, update rate limit.
    public var presence = PresenceConfiguration(gracePeriod: 15_000_000_000)

    public var authTimeout: UInt64 = 10_000_000_000
    public var tokenWarning: UInt64 = 60_000_000_000
    /// Commands waiting behind the one in progress on a connection; beyond it `rate_limited`.
    public var maxPendingCommands = 64
    /// `invalid_message`, `unknown_type` or `bad_request` replies in a row before close 1008.
    public var maxMalformedInARow = 10

    /// Longest catch-up a `join` with `since_seq` may ask for (else `resync_required`).
    public var maxCatchupEvents = 1000
    /// Events per store read while replaying a catch-up.
    public var catchupPageSize = 100
    /// How long events are kept for catch-up, in milliseconds (announced as too_old beyond).
    public var eventRetentionMillis: Int64 = 30 * 86_400_000
    /// How long a command id stays an idempotency key, in seconds.
    public var idempotencyWindowSeconds: Int64 = 86_400
    /// Most commands in one store transaction (group commit).
    public var maxCommitBatch = 512

    public init() {}

    /// Writes `welcome.limits`.
    func writeAnnouncedLimits(_ out: inout JSONOutput) {
        out.member("max_message_bytes", webSocket.maxMessageSize)
        out.member("max_comment_bytes", commands.maxCommentBytes)
        out.member("max_title_bytes", commands.maxTitleBytes)
        out.member("max_presence_state_bytes", commands.maxPresenceStateBytes)
        out.member("max_ephemeral_bytes", commands.maxEphemeralBytes)
        out.member("max_rooms_per_connection", maxRoomsPerConnection)
        out.member("commands_per_second", Int(commandsPerSecond.rounded(.up)))
        out.member("commands_burst", commandsBurst)
        out.member("presence_updates_per_second", Int(presence.updatesPerSecond.rounded(.up)))
        out.member("presence_updates_burst", presence.updateBurst)
        out.member("ephemeral_per_second", Int(ephemeralPerSecond.rounded(.up)))
        out.member("ephemeral_burst", ephemeralBurst)
        out.member("presence_grace_ms", Int64(presence.gracePeriod / 1_000_000))
        out.member("idempotency_window_s", idempotencyWindowSeconds)
    }
}
