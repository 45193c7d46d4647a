import HubbubIO
import HubbubJSON
import HubbubPresence
import HubbubStore
import Logging

/// What the HTTP API asks of a room: durable commands from services (through the same
/// queue, group commit and seq order as the sessions' commands), ephemeral relays,
/// presence, and taking users out when their membership ends.
extension Room {
    /// Commits a service's command and publishes its event; `.failure(notFound)` when
    /// the project does not exist.
    func submit(_ command: Command) async -> Result<CommandOutcome, ProtocolError> {
        do {
            try await ensureLoaded()
        } catch {
            return .failure(.storeUnavailable)
        }
        guard project != nil else {
            retireIfIdle()
            return .failure(ProtocolError(.notFound, "no project \(id)"))
        }
        if case .createCard = command.kind, cardCount >= hub.configuration.maxCardsPerBoard {
            retireIfIdle()
            return .failure(ProtocolError(.limitExceeded, "the board already has \(hub.configuration.maxCardsPerBoard) cards"))
        }
        return await withCheckedContinuation { continuation in
            enqueue(Pending(origin: .service(continuation), storeCommand: command))
        }
    }

    /// Relays a service's ephemeral signal to everyone in the room; false when the
    /// project does not exist.
    func relayFromService(coalesceKey: String, senderConnID: String, json: [UInt8]) async -> Result<Void, ProtocolError> {
        do {
            try await ensureLoaded()
        } catch {
            return .failure(.storeUnavailable)
        }
        defer { retireIfIdle() }
        guard project != nil else { return .failure(ProtocolError(.notFound, "no project \(id)")) }
        deliverToAll(.ephemeral(room: id, coalesceKey: coalesceKey, frame: hub.textFrame(json)))
        announceEphemeral(senderConnID: senderConnID, coalesceKey: coalesceKey, json: json)
        return .success(())
    }

    /// The presence as it is now (the HTTP API's `GET .../presence`).
    func presenceNow() -> PresenceSnapshot {
        defer { retireIfIdle() }
        return presence.currentSnapshot()
    }

    /// Takes `userID`'s sessions (every session when nil) out of the room with
    /// `room_left` (protocol/README.md section 4), their presence ending at once, and
    /// reads the member list again.
    /// In a cluster every node does the same for its own sessions (`announce`: this node
    /// tells the others; false when the order came from another node).
    func remove(userID: String?, reason: String, announce: Bool = true) async {
        if announce, let cluster = hub.cluster {
            cluster.publish(.removeFromRoom(node: cluster.nodeID, userID: userID, reason: reason), room: id)
        }
        let leaving = subscribers.filter { userID == nil || $0.value.userID == userID }
        if !leaving.isEmpty {
            let frame = hub.textFrame(ServerMessage.roomLeft(room: id, reason: reason))
            let now = MonotonicClock.now()
            for (ref, subscriber) in leaving {
                removeSubscriber(ref)
                if presence.leave(connID: subscriber.connID, now: now, graceful: false) {
                    announceLocalLeave(connID: subscriber.connID, graceful: false)
                }
                hub.loops[ref.loop].onLoop { $0.deliver(.removed(room: self.id, frame: frame), to: [ref.key]) }
            }
            schedulePresenceFlush()
        }
        if let members = try? await hub.store.members(projectID: id) { self.members = members }
        if userID == nil { forgetProject() }
        retireIfIdle()
    }

    /// Reads the member list again (a member was added or changed over the HTTP API).
    func reloadMembers(announce: Bool = true) async {
        if announce, let cluster = hub.cluster { cluster.publish(.membersChanged(node: cluster.nodeID), room: id) }
        if loaded, let members = try? await hub.store.members(projectID: id) { self.members = members }
        retireIfIdle()
    }
}
