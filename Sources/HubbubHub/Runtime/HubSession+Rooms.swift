import HubbubOps
import HubbubWebSocket
import HubbubServer
import Logging
import HubbubIO
import HubbubJSON
import HubbubPresence
import HubbubStore

extension HubSession {
    func join(id: String, room roomID: String, sinceSeq: Int64?, presence: JSONValue?) {
        guard rooms[roomID] == nil else {
            return reply(id: id, .badRequest(field: "/room", reason: "already_joined", "this connection already joined \(roomID)"))
        }
        let max = hub.configuration.maxRoomsPerConnection
        guard rooms.count < max else {
            return reply(id: id, ProtocolError(
                .limitExceeded, "a connection may join at most \(max) rooms",
                details: .object(["limit": .string("max_rooms_per_connection"), "max": .number(JSONNumber(integer: Int64(max), double: Double(max)))])))
        }
        guard let ref, let identity else { return }
        let hub = hub
        let connID = connID
        let state = presence.map(PresenceValue.init(json:))
        // The link exists before the room knows the session, so nothing delivered is missed.
        nextLinkEpoch += 1
        let epoch = nextLinkEpoch
        let firstRoom = hub.room(roomID)
        rooms[roomID] = RoomLink(room: firstRoom, epoch: epoch)
        busy = true
        Task {
            var room = firstRoom
            var outcome = await room.join(ref, identity: identity, connID: connID, sinceSeq: sinceSeq, state: state)
            while case .retired = outcome {
                room = hub.room(roomID)
                outcome = await room.join(ref, identity: identity, connID: connID, sinceSeq: sinceSeq, state: state)
            }
            let joinedRoom = room
            let final = outcome
            HubSession.resume(hub, ref, orphaned: {
                // The connection ended while joining: undo the join.
                if case .joined = final { Task { await joinedRoom.leave(ref, connID: connID, graceful: true) } }
            }) { session in
                session.joinCompleted(id: id, roomID: roomID, room: joinedRoom, epoch: epoch, outcome: final)
            }
        }
    }

    private func joinCompleted(id: String, roomID: String, room: Room, epoch: UInt64, outcome: JoinOutcome) {
        guard let placeholder = rooms[roomID], placeholder.epoch == epoch else {
            // Cannot happen while the join holds the queue; keep the room consistent anyway.
            if case .joined = outcome, let ref {
                let connID = connID
                Task { await room.leave(ref, connID: connID, graceful: false) }
            }
            finish(ServerMessage.error(id: id, .storeUnavailable))
            return
        }
        guard case .joined(let accepted) = outcome else {
            rooms[roomID] = nil
            let error: ProtocolError
            if case .failed(let failure) = outcome { error = failure } else { error = .storeUnavailable }
            finish(ServerMessage.error(id: id, error))
            return
        }
        // A retired room was replaced: deliveries come from the new one.
        let link = placeholder.room === room ? placeholder : RoomLink(room: room, epoch: epoch)
        if link !== placeholder {
            for delivery in placeholder.takeBuffer() { link.hold(delivery, bytes: 0) }
        }
        rooms[roomID] = link
        link.boundary = accepted.headSeq
        send(ServerMessage.ack(id: id, rawResult: accepted.result))
        send(accepted.presenceState)
        if let after = accepted.replayAfter, after < accepted.headSeq {
            link.phase = .replaying
            link.replayedUpTo = after
            busy = false
            pump()
            replayNext(roomID: roomID, epoch: epoch)
        } else {
            goLive(link)
            busy = false
            pump()
        }
    }

    /// Sends the held deliveries, dropping events the client already has, and goes live.
    private func goLive(_ link: RoomLink) {
        link.phase = .live
        for delivery in link.takeBuffer() { receive(delivery) }
    }

    /// Reads the next page of the catch-up when the client has drained enough of its queue
    /// (section 10: catch-up is flow-controlled, a slow reader is not closed for it).
    private func replayNext(roomID: String, epoch: UInt64) {
        guard !closed, let link = rooms[roomID], link.epoch == epoch, let ref else { return }
        if let channel, channel.queuedBytes > hub.configuration.maxSendQueueBytes / 2 {
            _ = channel.engine.schedule(after: 5_000_000) { [weak self] in self?.replayNext(roomID: roomID, epoch: epoch) }
            return
        }
        let after = link.replayedUpTo
        let limit = Int(min(Int64(hub.configuration.catchupPageSize), link.boundary - after))
        let hub = hub
        Task {
            let page: [StoredEvent]?
            do {
                page = try await hub.store.events(room: roomID, afterSeq: after, limit: limit)
            } catch {
                page = nil
            }
            HubSession.resume(hub, ref) { session in
                session.replayed(roomID: roomID, epoch: epoch, page: page)
            }
        }
    }

    private func replayed(roomID: String, epoch: UInt64, page: [StoredEvent]?) {
        guard let link = rooms[roomID], link.epoch == epoch else { return }
        guard let page, !page.isEmpty else {
            // The store failed (or lost events): the client must start over.
            hub.logger.warning("catch-up failed", metadata: ["room": "\(roomID)", "after": "\(link.replayedUpTo)"])
            close(.internalError, "catch-up failed; rejoin")
            return
        }
        link.replayPage = page[...]
        sendReplayed(roomID: roomID, epoch: epoch)
    }

    /// Sends the page's events while the send queue is under half full; waits for it to
    /// drain otherwise, then reads the next page or goes live.
    private func sendReplayed(roomID: String, epoch: UInt64) {
        guard !closed, let channel, let link = rooms[roomID], link.epoch == epoch else { return }
        let threshold = hub.configuration.maxSendQueueBytes / 2
        while let event = link.replayPage.first {
            if channel.queuedBytes > threshold {
                _ = channel.engine.schedule(after: 2_000_000) { [weak self] in self?.sendReplayed(roomID: roomID, epoch: epoch) }
                return
            }
            link.replayPage.removeFirst()
            guard event.seq > link.replayedUpTo, event.seq <= link.boundary else { continue }
            guard event.seq == link.replayedUpTo + 1 else {
                close(.internalError, "catch-up found a gap; rejoin")
                return
            }
            send(ServerMessage.event(event))
            link.replayedUpTo = event.seq
        }
        if link.replayedUpTo >= link.boundary {
            goLive(link)
        } else {
            replayNext(roomID: roomID, epoch: epoch)
        }
    }

    // MARK: Deliveries

    func receive(_ delivery: Delivery) {
        guard !closed else { return }
        switch delivery {
        case .event(let room, let seq, let frame):
            guard let link = rooms[room] else { return }
            if link.phase != .live { return hold(delivery, in: link, bytes: frame.count) }
            if seq > link.boundary {
                link.boundary = seq
                send(frame: frame)
                if let channel { hub.metrics.sendQueueBytes.observe(Double(channel.queuedBytes)) }
            }
        case .presence(let room, let frame):
            guard let link = rooms[room] else { return }
            if link.phase != .live { return hold(delivery, in: link, bytes: frame.count) }
            send(frame: frame)
        case .ephemeral(let room, let key, let frame):
            guard let link = rooms[room], link.phase == .live else { return }
            sendEphemeral(key: key, frame: frame)
        case .personal(let frame):
            if identity != nil { send(frame: frame) }
        case .reply(let frame):
            busy = false
            send(frame: frame)
            pump()
        case .disconnect(let code, let reason):
            close(WebSocketCloseCode(rawValue: code), reason)
        case .removed(let room, let frame):
            guard rooms.removeValue(forKey: room) != nil else { return }
            send(frame: frame)
        }
    }

    private func hold(_ delivery: Delivery, in link: RoomLink, bytes: Int) {
        link.hold(delivery, bytes: bytes)
        if link.bufferedBytes > hub.configuration.maxSendQueueBytes {
            close(HubCloseCode.slowConsumer, "slow consumer: too much waiting behind a join")
        }
    }

    /// Ephemeral relays are expendable: past half the send queue the latest per key waits
    /// and replaces older ones; it goes out when the queue drains.
    private func sendEphemeral(key: String, frame: ByteChunk) {
        guard let channel else { return }
        if coalesced.isEmpty, channel.queuedBytes < hub.configuration.maxSendQueueBytes / 2 {
            send(frame: frame)
            return
        }
        if coalesced.updateValue(frame, forKey: key) == nil { coalescedOrder.append(key) }
        if coalesceTimer == nil {
            coalesceTimer = channel.engine.schedule(after: 10_000_000) { [weak self] in self?.flushCoalesced() }
        }
    }

    private func flushCoalesced() {
        coalesceTimer = nil
        guard let channel, !closed else { return }
        while !coalescedOrder.isEmpty, channel.queuedBytes < hub.configuration.maxSendQueueBytes / 2 {
            let key = coalescedOrder.removeFirst()
            if let frame = coalesced.removeValue(forKey: key) { send(frame: frame) }
        }
        if !coalescedOrder.isEmpty {
            coalesceTimer = channel.engine.schedule(after: 10_000_000) { [weak self] in self?.flushCoalesced() }
        }
    }
}
