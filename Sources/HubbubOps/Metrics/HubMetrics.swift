/// The hub's metrics, registered under their Prometheus names, as handles the hub
/// updates from any thread without taking a lock (except where a method says so).
///
/// Create one at start-up, pass it to the components, and serve
/// ``exposition()`` at `GET /metrics` with ``MetricsRegistry/contentType``.
/// Label values come from bounded sets (command types, error codes, store operations);
/// never pass user, room or connection ids.
public struct HubMetrics: Sendable {
    public let registry: MetricsRegistry

    /// `hubbub_connections`: open client connections (HTTP and WebSocket).
    public let connections: Gauge
    /// `hubbub_rooms`: rooms open in memory.
    public let rooms: Gauge
    /// `hubbub_messages_received_total`: client messages (WebSocket text frames, reassembled).
    public let messagesReceived: Counter
    /// `hubbub_messages_sent_total`: messages handed to connections (one per recipient;
    /// add a fan-out's recipients at once, per loop, rather than one by one).
    public let messagesSent: Counter
    /// `hubbub_fanout_seconds`: from a commit to handing the frame to the last loop.
    public let fanoutSeconds: Histogram
    /// `hubbub_send_queue_bytes`: a connection's send-queue size, sampled when a frame is queued.
    public let sendQueueBytes: Histogram
    /// `hubbub_slow_consumer_closes_total`: connections closed because their send queue filled.
    public let slowConsumerCloses: Counter
    /// `hubbub_broker_seconds`: one round trip to the broker (publish or subscribe).
    public let brokerSeconds: Histogram

    /// `hubbub_cluster_gap_fills_total`: events of other nodes read from the store because
    /// the broker did not bring them in time.
    public let clusterGapFills: Counter
    /// `hubbub_cluster_broker_up`: 1 while the node's broker link is up (nodes in a cluster).
    public let clusterBrokerUp: Gauge

    private let clusterEvents: PreparedChildren<Counter>
    private let storeSeconds: PreparedChildren<Histogram>
    private let commands: PreparedChildren<Counter>
    private let emails: PreparedChildren<Counter>
    private let ioBackend: MetricFamily<Gauge>
    private let emailQueueDepth = CollectedSource()

    /// Registers every hub metric on `registry` (once per registry), and the process
    /// metrics unless `processMetrics` is false. `commandTypes`, `commandResults` and
    /// `storeOperations` are the label values looked up without a lock (other values
    /// still work, through the family's lock); a combination appears in the exposition
    /// once it has been counted. E-mail results appear from the start, at 0.
    public init(
        registry: MetricsRegistry = MetricsRegistry(),
        commandTypes: [String] = HubMetrics.defaultCommandTypes,
        commandResults: [String] = HubMetrics.defaultCommandResults,
        storeOperations: [String] = HubMetrics.defaultStoreOperations,
        processMetrics: Bool = true
    ) {
        self.registry = registry
        connections = registry.gauge("hubbub_connections", help: "Open client connections.")
        rooms = registry.gauge("hubbub_rooms", help: "Rooms open in memory.")
        messagesReceived = registry.counter("hubbub_messages_received_total", help: "Messages received from clients.")
        messagesSent = registry.counter("hubbub_messages_sent_total", help: "Messages handed to client connections, one per recipient.")
        fanoutSeconds = registry.histogram(
            "hubbub_fanout_seconds", help: "Time from a commit to handing its frame to the last event loop.",
            buckets: Histogram.latencyBuckets)
        sendQueueBytes = registry.histogram(
            "hubbub_send_queue_bytes", help: "Send-queue size of a connection when a frame is queued on it.",
            buckets: Histogram.byteBuckets)
        slowConsumerCloses = registry.counter(
            "hubbub_slow_consumer_closes_total", help: "Connections closed because their send queue was full.")
        storeSeconds = PreparedChildren(
            family: registry.histogram("hubbub_store_seconds", help: "Store operation latency.",
                                       labels: ["operation"], buckets: Histogram.latencyBuckets),
            values: storeOperations)
        brokerSeconds = registry.histogram(
            "hubbub_broker_seconds", help: "Broker round-trip latency.", buckets: Histogram.latencyBuckets)
        clusterGapFills = registry.counter(
            "hubbub_cluster_gap_fills_total", help: "Other nodes' events read from the store because the broker did not bring them in time.")
        clusterBrokerUp = registry.gauge("hubbub_cluster_broker_up", help: "1 while this node's link to the cluster broker is up.")
        clusterEvents = PreparedChildren(
            family: registry.counter(
                "hubbub_cluster_messages_total",
                help: "Room events received from other nodes, by outcome: delivered, held (behind a gap), duplicate, invalid.",
                labels: ["outcome"]),
            values: ["delivered", "held", "duplicate", "invalid"])
        emails = PreparedChildren(
            family: registry.counter("hubbub_emails_total", help: "E-mails by outcome: sent, retried or dead.",
                                     labels: ["result"]),
            values: EmailResult.allCases.map(\.rawValue), eager: true)
        ioBackend = registry.gauge("hubbub_io_backend", help: "The I/O backend in use (1 for its label).", labels: ["backend"])
        commands = PreparedChildren(
            family: registry.counter("hubbub_commands_total", help: "Client commands by type and result (ok or an error code).",
                                     labels: ["type", "result"]),
            first: commandTypes, second: commandResults)
        let depth = emailQueueDepth
        registry.collectedGauge("hubbub_email_queue_depth", help: "E-mails waiting to be sent.") { depth.read() }
        if processMetrics { ProcessMetrics.register(on: registry) }
    }

    // MARK: Updates

    /// Counts a command: `result` is `"ok"` or the error code sent back.
    @inline(__always)
    public func command(type: String, result: String) {
        commands.child(type, result).increment()
    }

    /// Records a store operation's latency; `operation` names the Store method
    /// (`commit`, `events`, ...).
    @inline(__always)
    public func storeOperation(_ operation: String, nanoseconds: UInt64) {
        storeSeconds.child(operation).observe(nanoseconds: nanoseconds)
    }

    /// Counts a room event received from another node by outcome.
    @inline(__always)
    public func clusterMessages(outcome: String) {
        clusterEvents.child(outcome).increment()
    }

    /// Counts an e-mail by outcome.
    @inline(__always)
    public func email(_ result: EmailResult) {
        emails.child(result.rawValue).increment()
    }

    /// Sets `hubbub_io_backend{backend="..."} 1` (call once, at start-up).
    public func setIOBackend(_ backend: String) {
        ioBackend.labels(backend).set(1)
    }

    /// Installs the closure read at scrape time for `hubbub_email_queue_depth` (the
    /// metric is left out until then). It must be quick and thread-safe.
    public func setEmailQueueDepth(_ depth: @escaping @Sendable () -> Int) {
        emailQueueDepth.set(depth)
    }

    /// The body of `GET /metrics` (``MetricsRegistry/contentType``).
    public func exposition() -> String {
        registry.exposition()
    }
}

extension HubMetrics {
    /// The `type` of every `hubbub.v1` client command (protocol/README.md).
    public static let defaultCommandTypes = [
        "auth", "ping", "join", "leave", "board", "comment", "card_create", "card_move",
        "ephemeral", "presence_update", "presence_roster",
    ]

    /// `ok` and every error code (protocol/errors.md).
    public static let defaultCommandResults = [
        "ok", "bad_request", "invalid_message", "unknown_type", "too_large", "unauthorized", "forbidden",
        "not_found", "not_joined", "conflict", "duplicate", "rate_limited", "limit_exceeded",
        "resync_required", "unavailable", "internal",
    ]

    /// The store operations timed by the hub.
    public static let defaultStoreOperations = [
        "commit", "events", "board", "head_seq", "members", "notifications", "prune", "ping",
    ]
}

/// The `result` label of `hubbub_emails_total`.
public enum EmailResult: String, Sendable, CaseIterable {
    case sent
    case retried
    case dead
}
