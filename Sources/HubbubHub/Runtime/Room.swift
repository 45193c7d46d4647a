import Logging
import HubbubBroker
import HubbubIO
import HubbubJSON
import HubbubPresence
import HubbubStore

/// One project's room: the actor that owns its presence, its subscribers and the order
/// of its events.
///
/// It runs on one event loop (its executor), chosen by the room id, so delivering to that
/// loop's sessions needs no thread hop, and each other loop gets one hop per message,
/// never one per recipient. Commands are queued and committed in batches through the
/// hub's ``GroupCommitter``; stored events are published in seq order, each encoded once.
actor Room {
    nonisolated let id: String
    nonisolated let unownedExecutor: UnownedSerialExecutor
    let hub: Hub

    struct Subscriber {
        var userID: String
        var connID: String
    }

    struct Pending {
        /// Who waits for the outcome: a session (answered by a delivery that follows the
        /// event) or an HTTP request (answered through its continuation).
        enum Origin {
            case session(RoomCommand)
            case service(CheckedContinuation<Result<CommandOutcome, ProtocolError>, Never>)
        }

        var origin: Origin
        var storeCommand: Command
        /// Mentioned members (comments), for the personal notifications after commit.
        var mentioned: [MentionCandidateMember] = []

        /// The session to leave out of the fan-out (`echo: false`).
        var excluded: SessionRef? {
            guard case .session(let command) = origin, !command.echo else { return nil }
            return command.sender
        }
    }

    var subscribers: [SessionRef: Subscriber] = [:]
    /// Session keys per loop, rebuilt when subscribers change (nil: stale).
    private var keysByLoop: [[UInt64]]?
    var presence: PresenceRoom
    var flushScheduled = false

    // What the room knows of its project; loaded on first use, members refreshed per join.
    var project: Project?
    var members: [Member] = []
    var cardTitles: [String: String] = [:]
    var cardCount = 0
    /// The seq of the newest event delivered to subscribers.
    var publishedSeq: Int64 = 0
    private var loadTask: Task<Void, any Error>?
    private(set) var loaded = false

    var queue: [Pending] = []
    var committing = false
    private(set) var retired = false

    // The cluster (Room+Cluster.swift); unused on a node that runs alone.
    var clusterChannel: BrokerSubscription?
    var clusterInput: AsyncStream<[UInt8]>.Continuation?
    var clusterConsumer: Task<Void, Never>?
    /// Connections of other nodes in ``presence``: connection id → node id.
    var remoteConns: [String: String] = [:]
    /// Other nodes' events waiting for the ones before them.
    var remoteOrder = SeqSequencer<ClusterMessage.RemoteEvent>(delivered: 0)
    var heldBeforeLoad: [ClusterMessage.RemoteEvent] = []
    var gapTimerArmed = false
    /// Joins under way: the room stays while there are any.
    var admitting = 0

    init(id: String, loop: EventLoop, hub: Hub) {
        self.id = id
        self.unownedExecutor = loop.asUnownedSerialExecutor()
        self.hub = hub
        self.presence = PresenceRoom(configuration: hub.configuration.presence)
    }

    // MARK: Loading

    /// Reads the project, its members and its board once; concurrent callers share the
    /// read. A failed read, or a project that does not exist (yet), is tried again by the
    /// next caller.
    func ensureLoaded() async throws {
        if loaded { return }
        let task: Task<Void, any Error>
        if let loadTask {
            task = loadTask
        } else {
            task = Task { try await self.load() }
            loadTask = task
        }
        defer { if !loaded { loadTask = nil } }
        try await task.value
    }

    private func load() async throws {
        let store = hub.store
        await joinCluster()
        defer { releaseAfterLoad() }
        guard let board = try await store.board(projectID: id) else {
            loaded = false
            project = nil
            return
        }
        project = try await store.project(id: id)
        members = try await store.members(projectID: id)
        cardTitles = [:]
        for column in board.columns {
            for card in column.cards { cardTitles[card.id] = card.title }
        }
        cardCount = cardTitles.count
        publishedSeq = board.headSeq
        loaded = project != nil
    }

    // MARK: Subscribers

    func addSubscriber(_ ref: SessionRef, userID: String, connID: String) {
        subscribers[ref] = Subscriber(userID: userID, connID: connID)
        keysByLoop = nil
    }

    func removeSubscriber(_ ref: SessionRef) {
        if subscribers.removeValue(forKey: ref) != nil { keysByLoop = nil }
    }

    /// Hands one encoded message to every subscriber (but `excluding`), one hop per loop.
    func deliverToAll(_ delivery: Delivery, excluding: SessionRef? = nil) {
        if keysByLoop == nil {
            var table = Array(repeating: [UInt64](), count: hub.loops.count)
            for ref in subscribers.keys { table[ref.loop].append(ref.key) }
            keysByLoop = table
        }
        for (loop, keys) in keysByLoop!.enumerated() where !keys.isEmpty {
            var filtered = keys
            if let excluding, excluding.loop == loop { filtered.removeAll { $0 == excluding.key } }
            if filtered.isEmpty { continue }
            let recipients = filtered
            hub.loops[loop].onLoop { $0.deliver(delivery, to: recipients) }
        }
    }

    /// Leaves the hub's table when nothing is left to do, so idle projects cost nothing.
    /// Other nodes' connections do not keep a room here: with no local one, it goes (and
    /// leaves the room's channel).
    func retireIfIdle() {
        guard !retired, subscribers.isEmpty, admitting == 0, queue.isEmpty, !committing else { return }
        guard presence.isIdle || (!remoteConns.isEmpty && presence.holdsOnly(where: { remoteConns[$0] != nil })) else {
            return
        }
        retired = true
        leaveCluster()
        hub.rooms.retire(self)
    }

    /// The project was deleted: the next request reads it again (it may be created anew).
    func forgetProject() {
        project = nil
        loaded = false
        loadTask = nil
    }

    func member(userID: String) -> Member? {
        members.first { $0.userID == userID }
    }
}
