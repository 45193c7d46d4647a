import HubbubBroker
import HubbubIO
import HubbubJSON
import HubbubOps
import HubbubPresence
import HubbubStore
import Logging

/// The room's side of the cluster: its channel, the other nodes' events (put back in seq
/// order, gaps filled from the store) and connections (in the room's own
/// ``PresenceRoom``, so every node computes the same presence).
extension Room {
    // MARK: Channel

    /// Subscribes to the room's channel and takes in the other nodes' presence, before the
    /// room reads its board: no event committed after that read can be missed. Messages
    /// wait in order until the presence snapshot is in.
    func joinCluster() async {
        guard let cluster = hub.cluster, clusterInput == nil else { return }
        let (stream, input) = AsyncStream.makeStream(of: [UInt8].self)
        clusterInput = input
        do throws(BrokerError) {
            clusterChannel = try await cluster.broker.subscribe(Cluster.roomChannel(id)) { _, payload in input.yield(payload) }
        } catch {
            hub.logger.warning("cannot subscribe to the room's channel", metadata: ["room": "\(id)", "error": "\(error)"])
        }
        for join in await cluster.remotePresence(room: id) { applyRemoteJoin(join) }
        clusterConsumer = Task { [weak self] in
            for await payload in stream {
                guard let self else { return }
                await self.receive(payload)
            }
        }
    }

    /// The room retires: its channel goes.
    func leaveCluster() {
        clusterInput?.finish()
        clusterConsumer?.cancel()
        if let subscription = clusterChannel, let broker = hub.cluster?.broker {
            Task { await broker.unsubscribe(subscription) }
        }
        clusterChannel = nil
    }

    /// One message from the room's channel.
    func receive(_ payload: [UInt8]) async {
        guard !retired, let cluster = hub.cluster else { return }
        guard let message = ClusterMessage.decode(payload) else {
            hub.metrics.clusterMessages(outcome: "invalid")
            return
        }
        switch message {
        case .event(let event):
            receiveEvent(event)
        case .presenceJoin(let join):
            guard join.node != cluster.nodeID else { return }
            applyRemoteJoin(join)
        case .presenceLeave(let node, let connID, let graceful):
            guard node != cluster.nodeID else { return }
            guard remoteConns.removeValue(forKey: connID) != nil else {
                hub.logger.debug("leave of an unknown remote connection", metadata: ["room": "\(id)", "conn": "\(connID)"])
                return
            }
            presence.leave(connID: connID, now: MonotonicClock.now(), graceful: graceful)
            schedulePresenceFlush()
        case .ephemeral(let node, _, let coalesceKey, let frame):
            guard node != cluster.nodeID else { return }
            deliverToAll(.ephemeral(room: id, coalesceKey: coalesceKey, frame: hub.textFrame(frame)))
        case .removeFromRoom(let node, let userID, let reason):
            guard node != cluster.nodeID else { return }
            await remove(userID: userID, reason: reason, announce: false)
        case .membersChanged(let node):
            guard node != cluster.nodeID else { return }
            await reloadMembers(announce: false)
        case .personal, .disconnect:
            break
        }
    }

    // MARK: Events

    private func receiveEvent(_ event: ClusterMessage.RemoteEvent) {
        guard loaded else {
            // Kept until the board is read; `releaseAfterLoad` drops what it covers.
            if heldBeforeLoad.count < remoteOrder.maxHeld { heldBeforeLoad.append(event) }
            return
        }
        releaseHeld()
        switch remoteOrder.offer(seq: event.seq, event) {
        case .duplicate:
            hub.metrics.clusterMessages(outcome: "duplicate")
        case .held:
            hub.metrics.clusterMessages(outcome: "held")
            armGapTimer()
        case .ready(let ready):
            hub.metrics.clusterMessages(outcome: "delivered")
            for (seq, item) in ready { deliverRemote(seq: seq, item) }
        }
    }

    /// The board was read (`publishedSeq` is its head): events that came before are
    /// delivered if newer, and a gap is filled.
    func releaseAfterLoad() {
        guard hub.cluster != nil else { return }
        let early = heldBeforeLoad
        heldBeforeLoad = []
        remoteOrder = SeqSequencer(delivered: publishedSeq)
        for event in early.sorted(by: { $0.seq < $1.seq }) {
            if case .ready(let ready) = remoteOrder.offer(seq: event.seq, event) {
                for (seq, item) in ready { deliverRemote(seq: seq, item) }
            }
        }
        armGapTimer()
    }

    private func deliverRemote(seq: Int64, _ event: ClusterMessage.RemoteEvent) {
        guard seq > publishedSeq else { return }
        publishedSeq = seq
        track(type: event.type, payload: event.payload)
        deliverToAll(.event(room: id, seq: seq, frame: hub.textFrame(event.frame)))
    }

    /// Events of other nodes held since a local delivery caught up with them.
    func releaseHeld() {
        guard hub.cluster != nil, loaded else { return }
        for (seq, item) in remoteOrder.delivered(upTo: publishedSeq) { deliverRemote(seq: seq, item) }
    }

    private func armGapTimer() {
        guard remoteOrder.isHolding, !gapTimerArmed, let cluster = hub.cluster else { return }
        gapTimerArmed = true
        let delay = remoteOrder.isOverfull ? Duration.zero : cluster.configuration.gapTimeout
        Task { [weak self] in
            try? await Task.sleep(for: delay)
            await self?.fillGap()
        }
    }

    /// The events before the held ones did not come: read them from the store.
    private func fillGap() async {
        gapTimerArmed = false
        releaseHeld()
        guard !retired, let missing = remoteOrder.missing else { return }
        hub.metrics.clusterGapFills.increment()
        await catchUpFromStore(through: missing.upperBound)
        releaseHeld()
        armGapTimer()
    }

    /// Delivers the stored events after `publishedSeq` through `last` (nil: the head).
    func catchUpFromStore(through last: Int64?) async {
        while !retired {
            let wanted = last.map { Int(max(0, $0 - publishedSeq)) } ?? 500
            let limit = min(wanted, 500)
            if limit == 0 { return }
            let events: [StoredEvent]
            do {
                events = try await hub.store.events(room: id, afterSeq: publishedSeq, limit: limit)
            } catch {
                hub.logger.warning("cannot read missed events", metadata: ["room": "\(id)", "error": "\(error)"])
                return
            }
            for event in events where last.map({ event.seq <= $0 }) ?? true { deliverStored(event, excluding: nil) }
            if events.count < limit { return }
        }
    }

    // MARK: Presence

    func applyRemoteJoin(_ join: ClusterMessage.PresenceJoin) {
        remoteConns[join.connID] = join.node
        _ = presence.join(
            userID: join.userID, name: join.name, username: join.username, connID: join.connID, state: join.state,
            joinedAt: join.joinedAt, now: MonotonicClock.now())
        schedulePresenceFlush()
    }

    /// Tells the other nodes (and the broker's store of presence) about a local connection
    /// that joined or changed its state.
    func announceLocalPresence(connID: String, userID: String) {
        guard let cluster = hub.cluster, let entry = presence.presence(of: userID), let meta = entry.meta(connID: connID)
        else { return }
        let join = ClusterMessage.PresenceJoin(
            node: cluster.nodeID, connID: connID, userID: userID, name: entry.name, username: entry.username,
            state: meta.state, joinedAt: meta.joinedAt)
        cluster.publish(.presenceJoin(join), room: id)
        cluster.storePresence(room: id, join: join)
    }

    func announceEphemeral(senderConnID: String, coalesceKey: String, json: [UInt8]) {
        guard let cluster = hub.cluster else { return }
        cluster.publish(
            .ephemeral(node: cluster.nodeID, senderConnID: senderConnID, coalesceKey: coalesceKey, frame: json), room: id)
    }

    func announceLocalLeave(connID: String, graceful: Bool) {
        guard let cluster = hub.cluster else { return }
        cluster.publish(.presenceLeave(node: cluster.nodeID, connID: connID, graceful: graceful), room: id)
        cluster.removePresence(room: id, connID: connID)
    }

    /// Connections of nodes that died leave at once (no grace: their node cannot say).
    func dropConnections(ofNodesNotIn live: Set<String>) {
        let dead = remoteConns.filter { !live.contains($0.value) }
        guard !dead.isEmpty else { return }
        let now = MonotonicClock.now()
        for connID in dead.keys {
            remoteConns[connID] = nil
            presence.leave(connID: connID, now: now, graceful: false)
        }
        schedulePresenceFlush()
    }

    /// After a broker outage: this node's connections are announced and stored again, the
    /// events committed meanwhile are read from the store, and the others' presence is
    /// reconciled once they had time to announce theirs.
    func recoverAfterOutage() async {
        for subscriber in subscribers.values {
            announceLocalPresence(connID: subscriber.connID, userID: subscriber.userID)
        }
        await catchUpFromStore(through: nil)
        releaseHeld()
        guard let cluster = hub.cluster else { return }
        let settle = cluster.configuration.nodeTTL
        Task { [weak self] in
            try? await Task.sleep(for: settle)
            await self?.reconcileRemotePresence()
        }
    }

    private func reconcileRemotePresence() async {
        guard !retired, let cluster = hub.cluster else { return }
        let joins = await cluster.remotePresence(room: id)
        let present = Set(joins.map(\.connID))
        let now = MonotonicClock.now()
        for connID in remoteConns.keys where !present.contains(connID) {
            remoteConns[connID] = nil
            presence.leave(connID: connID, now: now, graceful: false)
        }
        for join in joins where remoteConns[join.connID] == nil { applyRemoteJoin(join) }
        schedulePresenceFlush()
    }
}
