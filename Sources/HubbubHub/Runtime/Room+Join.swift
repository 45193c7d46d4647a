import Logging
import HubbubIO
import HubbubJSON
import HubbubPresence
import HubbubStore

extension Room {
    /// Joins a session to the room (protocol/README.md section 6.1).
    ///
    /// The subscriber is registered before the boundary is read, so every event after
    /// `headSeq` reaches the session; the session drops what is at or below it.
    func join(
        _ ref: SessionRef, identity: Identity, connID: String, sinceSeq: Int64?, state: PresenceValue?
    ) async -> JoinOutcome {
        if retired { return .retired }
        // No retiring while a join is under way (another node's presence may flush meanwhile).
        admitting += 1
        let outcome = await admit(ref, identity: identity, connID: connID, sinceSeq: sinceSeq, state: state)
        admitting -= 1
        // A refused join leaves nothing behind: a room nobody is in goes (so a project
        // created later is read afresh).
        if case .failed = outcome { retireIfIdle() }
        return outcome
    }

    private func admit(
        _ ref: SessionRef, identity: Identity, connID: String, sinceSeq: Int64?, state: PresenceValue?
    ) async -> JoinOutcome {
        let store = hub.store
        do {
            try await ensureLoaded()
            guard project != nil, try await store.member(projectID: id, userID: identity.userID) != nil else {
                return .failed(.notMember)
            }
            members = try await store.members(projectID: id)
        } catch {
            return .failed(.storeUnavailable)
        }
        if retired { return .retired }
        guard let project, let member = member(userID: identity.userID) else { return .failed(.notMember) }
        if subscribers[ref] != nil {
            return .failed(.badRequest(field: "/room", reason: "already_joined", "this connection already joined \(id)"))
        }

        var replayAfter: Int64?
        var oldest: Int64 = 1
        if sinceSeq != nil {
            do {
                oldest = try await store.oldestRetainedSeq(room: id)
            } catch {
                return .failed(.storeUnavailable)
            }
            if retired { return .retired }
        }
        // From here to the registration nothing awaits: `publishedSeq` is the boundary.
        var head = publishedSeq
        if let since = sinceSeq {
            if let error = resyncError(since: since, head: head, oldest: oldest) { return .failed(error) }
            replayAfter = since
        }
        let presenceState: [UInt8]
        // A join without `presence` keeps the state of a meta held for this connection
        // (a resumed connection, section 7.4), else starts from `{}`.
        let initial = state ?? presence.presence(of: identity.userID)?.meta(connID: connID)?.state ?? .emptyObject
        switch presence.join(
            userID: identity.userID, name: identity.name, username: member.username, connID: connID,
            state: initial, joinedAt: WallClock.nowMillis(), now: MonotonicClock.now())
        {
        case .tooLarge(let bytes):
            return .failed(.tooLarge(
                field: "/presence", limit: hub.configuration.presence.maxMetaBytes, size: bytes,
                "presence state is \(bytes) bytes; the limit is \(hub.configuration.presence.maxMetaBytes)"))
        case .joined:
            // The whole room as it is now, the joiner included (section 7.2).
            presenceState = ServerMessage.presenceState(room: id, presence.joinerSnapshot())
        }
        addSubscriber(ref, userID: identity.userID, connID: connID)
        schedulePresenceFlush()
        announceLocalPresence(connID: connID, userID: identity.userID)

        var board: Board?
        if sinceSeq == nil {
            do {
                board = try await store.board(projectID: id)
            } catch {
                leave(ref, connID: connID, graceful: false)
                return .failed(.storeUnavailable)
            }
            guard let board else {
                leave(ref, connID: connID, graceful: false)
                return .failed(.notMember)
            }
            head = board.headSeq
        }

        // The user now receives every event up to `head` (board, replay or live): their
        // e-mail notifications of this room up to there are no longer needed.
        let (outbox, room, userID, seen) = (hub.store, id, identity.userID, head)
        Task {
            _ = try? await outbox.cancelNotifications(userID: userID, room: room, upToSeq: seen, now: WallClock.nowMillis())
        }

        var out = JSONOutput(capacity: 1024)
        out.beginObject()
        out.member("room", id)
        out.member("head_seq", head)
        out.key("project")
        ServerMessage.writeProject(project, to: &out)
        out.key("members")
        ServerMessage.writeMembers(members, to: &out)
        if let board {
            out.key("board")
            ServerMessage.writeBoard(board, to: &out)
        }
        out.endObject()
        return .joined(JoinAccepted(headSeq: head, replayAfter: replayAfter, result: out.bytes, presenceState: presenceState))
    }

    /// Why a catch-up from `since` cannot be served, if it cannot (section 6.4).
    private func resyncError(since: Int64, head: Int64, oldest: Int64) -> ProtocolError? {
        let reason: String
        if since > head {
            reason = "ahead_of_head"
        } else if since + 1 < oldest {
            reason = "too_old"
        } else if head - since > Int64(hub.configuration.maxCatchupEvents) {
            reason = "too_far_behind"
        } else {
            return nil
        }
        return ProtocolError(
            .resyncRequired, "cannot replay the events after seq \(since) (\(reason)); join without since_seq",
            details: .object([
                "reason": .string(reason),
                "head_seq": .number(JSONNumber(integer: head, double: Double(head))),
                "oldest_seq": .number(JSONNumber(integer: oldest, double: Double(oldest))),
            ]))
    }

    /// Takes a session out of the room. `graceful`: the connection ended (its user keeps
    /// presence for the grace period); otherwise an explicit leave.
    func leave(_ ref: SessionRef, connID: String, graceful: Bool) {
        removeSubscriber(ref)
        if presence.leave(connID: connID, now: MonotonicClock.now(), graceful: graceful) {
            announceLocalLeave(connID: connID, graceful: graceful)
        }
        schedulePresenceFlush()
        retireIfIdle()
    }

    /// The `board` command's result.
    func boardResult() async -> Result<[UInt8], ProtocolError> {
        do {
            guard let board = try await hub.store.board(projectID: id) else { return .failure(.notMember) }
            members = try await hub.store.members(projectID: id)
            var out = JSONOutput(capacity: 1024)
            out.beginObject()
            out.member("room", id)
            out.member("head_seq", board.headSeq)
            out.key("board")
            ServerMessage.writeBoard(board, to: &out)
            out.key("members")
            ServerMessage.writeMembers(members, to: &out)
            out.endObject()
            return .success(out.bytes)
        } catch {
            return .failure(.storeUnavailable)
        }
    }
}
