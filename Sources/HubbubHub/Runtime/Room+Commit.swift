import HubbubOps
import Logging
import HubbubIO
import HubbubJSON
import HubbubStore

extension Room {
    /// Queues a persisting command: committed with whatever else is waiting (group commit),
    /// published to the room in seq order, then answered with a ``Delivery/reply(frame:)``
    /// to the sender that follows its event on the same path. `.success` means queued (the
    /// reply comes that way); a failure is the reply itself, nothing was queued.
    func perform(_ command: RoomCommand) async -> Result<Void, ProtocolError> {
        guard subscribers[command.sender] != nil else { return .failure(.notJoined(id)) }
        let actor = EventActor.user(id: command.identity.userID, name: command.identity.name)
        let key = IdempotencyKey(scope: "user:" + command.identity.userID, key: command.requestID)
        let kind: CommandKind
        var mentioned: [MentionCandidateMember] = []
        switch command.kind {
        case .comment(let cardID, let text):
            mentioned = MentionParser.mentions(
                in: text, members: members.map { MentionCandidateMember(userID: $0.userID, username: $0.username) },
                authorUserID: command.identity.userID)
            let ids = mentioned.map(\.userID)
            var offline: [String] = []
            for userID in ids where await !hub.isOnline(userID) { offline.append(userID) }
            guard subscribers[command.sender] != nil else { return .failure(.notJoined(id)) }
            kind = .comment(cardID: cardID, text: text, mentions: ids, notifyOffline: offline)
        case .cardCreate(let columnID, let position, let title):
            guard cardCount < hub.configuration.maxCardsPerBoard else {
                let max = hub.configuration.maxCardsPerBoard
                return .failure(ProtocolError(
                    .limitExceeded, "the board already has \(max) cards",
                    details: .object(["limit": .string("max_cards_per_board"), "max": .number(JSONNumber(integer: Int64(max), double: Double(max)))])))
            }
            kind = .createCard(cardID: nil, columnID: columnID, position: position, title: title)
        case .cardMove(let cardID, let toColumnID, let toPosition, let expectedVersion):
            kind = .moveCard(cardID: cardID, toColumn: toColumnID, toPosition: toPosition, expectedVersion: expectedVersion)
        }
        let storeCommand = Command(
            room: id, actor: actor, requestKey: key, correlationID: command.requestID, kind: kind,
            time: WallClock.nowMillis())
        enqueue(Pending(origin: .session(command), storeCommand: storeCommand, mentioned: mentioned))
        return .success(())
    }

    func enqueue(_ pending: Pending) {
        queue.append(pending)
        if !committing {
            committing = true
            Task { await self.drain() }
        }
    }

    /// Commits the queue batch by batch; one batch in flight per room keeps seq order.
    private func drain() async {
        while !queue.isEmpty {
            let batch = Array(queue.prefix(hub.configuration.maxCommitBatch))
            queue.removeFirst(batch.count)
            let started = MonotonicClock.now()
            let result = await hub.committer.commit(batch.map(\.storeCommand))
            let committed = MonotonicClock.now()
            hub.metrics.storeOperation("commit", nanoseconds: committed - started)
            switch result {
            case .failure(let error):
                hub.logger.warning("commit failed", metadata: ["room": "\(id)", "error": "\(error)"])
                for pending in batch { answer(pending, .failure(.storeUnavailable)) }
            case .success(let outcomes):
                for (pending, outcome) in zip(batch, outcomes) {
                    if case .stored(let event) = outcome {
                        await publish(event, excluding: pending.excluded)
                        if !pending.mentioned.isEmpty { notifyMentioned(pending, comment: event) }
                    }
                    answer(pending, .success(outcome))
                }
                hub.metrics.fanoutSeconds.observe(nanoseconds: MonotonicClock.now() - committed)
            }
        }
        committing = false
        retireIfIdle()
    }

    /// A session's reply goes down the same per-loop path as the events, after the
    /// command's own; a service's through its continuation.
    private func answer(_ pending: Pending, _ result: Result<CommandOutcome, ProtocolError>) {
        switch pending.origin {
        case .service(let continuation):
            continuation.resume(returning: result)
        case .session(let command):
            let reply: [UInt8]
            switch result {
            case .success(let outcome):
                reply = HubSession.reply(id: command.requestID, kind: command.kind, outcome: outcome, logger: hub)
            case .failure(let error):
                reply = ServerMessage.error(id: command.requestID, error)
            }
            let frame = hub.textFrame(reply)
            hub.loops[command.sender.loop].onLoop { $0.deliver(.reply(frame: frame), to: [command.sender.key]) }
        }
    }

    /// Delivers a stored event, after any earlier events this room has not published
    /// (written by another process, such as `hubbub admin`): subscribers see every seq.
    func publish(_ event: StoredEvent, excluding: SessionRef?) async {
        if event.seq <= publishedSeq {
            // Delivered here already by a gap fill: the other nodes still need it.
            hub.cluster?.publishEvent(frame: ServerMessage.event(event), room: id)
            return
        }
        while event.seq > publishedSeq + 1 {
            let missing = Int(event.seq - publishedSeq - 1)
            guard let earlier = try? await hub.store.events(room: id, afterSeq: publishedSeq, limit: min(missing, 500)),
                !earlier.isEmpty
            else {
                hub.logger.error("cannot fill a seq gap", metadata: ["room": "\(id)", "from": "\(publishedSeq + 1)", "to": "\(event.seq - 1)"])
                break
            }
            for gap in earlier where gap.seq < event.seq { deliverStored(gap, excluding: nil) }
        }
        deliverStored(event, excluding: excluding, announce: true)
    }

    /// Delivers a stored event to the room's subscribers; `announce`: this node committed
    /// it, so it also goes to the other nodes (once, the same client message).
    func deliverStored(_ event: StoredEvent, excluding: SessionRef?, announce: Bool = false) {
        guard event.seq > publishedSeq else { return }
        publishedSeq = event.seq
        let json = ServerMessage.event(event)
        track(type: event.type, payload: JSONParser.parse(Array(event.payload.utf8)))
        deliverToAll(.event(room: id, seq: event.seq, frame: hub.textFrame(json)), excluding: excluding)
        if announce { hub.cluster?.publishEvent(frame: json, room: id) }
        releaseHeld()
    }

    /// Keeps the card titles and count the room answers from.
    func track(type: String, payload: JSONValue?) {
        let types = [StoredEvent.cardCreated, StoredEvent.cardUpdated, StoredEvent.cardDeleted]
        guard types.contains(type),
            case .object(let payload)? = payload,
            case .object(let card)? = payload["card"],
            let cardID = card["id"]?.stringValue
        else { return }
        if type == StoredEvent.cardDeleted {
            if cardTitles.removeValue(forKey: cardID) != nil { cardCount -= 1 }
        } else if cardTitles.updateValue(card["title"]?.stringValue ?? "", forKey: cardID) == nil {
            cardCount += 1
        }
    }

    /// Sends `mention` to every live connection of each mentioned member (section 8.3).
    private func notifyMentioned(_ pending: Pending, comment: StoredEvent) {
        guard let project, case .session(let command) = pending.origin, case .comment(let cardID, let text) = command.kind
        else { return }
        let commentID = Self.commentID(of: comment)
        let card = (id: cardID, title: cardTitles[cardID] ?? "")
        let excerpt = Excerpt.make(text)
        for member in pending.mentioned {
            let refs = hub.users.sessions(of: member.userID)
            if refs.isEmpty && hub.cluster == nil { continue }
            let json = ServerMessage.mention(
                eventID: UUIDv7.make(unixMillis: comment.time), comment: comment, project: project, card: card,
                commentID: commentID, excerpt: excerpt)
            if !refs.isEmpty { hub.deliver(.personal(frame: hub.textFrame(json)), to: refs) }
            hub.cluster?.publishPersonal(frame: json, userID: member.userID)
        }
    }

    static func commentID(of event: StoredEvent) -> String {
        JSONParser.parse(Array(event.payload.utf8))?["comment_id"]?.stringValue ?? ""
    }
}
