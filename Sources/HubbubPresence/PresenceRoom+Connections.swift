extension PresenceRoom {
    /// Adds connection `connID` of user `userID` to the room.
    ///
    /// - A user who was not present joins (reported as a join).
    /// - A present user gains a meta (reported as an update); their `name` and `username`
    ///   become the ones given here.
    /// - A user in their grace period returns: the new meta replaces the held one (an
    ///   update, never a leave and a join). If `connID` is the held connection's id (a resumed
    ///   connection) its `joinedAt` is kept, so with the same state nothing is reported.
    /// - `connID` already in the room for this user: its state is replaced, its `joinedAt`
    ///   and rate limit kept. For another user: it leaves that user first.
    ///
    /// The initial state is not rate limited, but it is size checked.
    ///
    /// - Parameters:
    ///   - joinedAt: opaque to the room, reported in the meta (the hub passes wall-clock ms).
    ///   - now: monotonic nanoseconds.
    /// - Returns: the snapshot to send to the joiner: the published state, without this join.
    public mutating func join(
        userID: String,
        name: String,
        username: String? = nil,
        connID: String,
        state: PresenceValue = .emptyObject,
        joinedAt: Int64,
        now: UInt64
    ) -> JoinResult {
        advance(to: now)
        let bytes = state.jsonByteCount
        guard bytes <= configuration.maxMetaBytes else { return .tooLarge(bytes: bytes) }

        var bucket = newBucket
        var meta = PresenceMeta(connID: connID, state: state, joinedAt: joinedAt)
        if let existing = connections[connID] {
            if existing.userID == userID {
                meta.joinedAt = entries[userID]?.meta(connID: connID)?.joinedAt ?? joinedAt
            } else {
                bucket = existing.bucket
                detach(connID: connID)
            }
        }
        if let holder = graces.user(holding: connID), holder != userID {
            // A connection id is in one entry at most: the user holding it leaves now.
            graces.end(userID: holder)
            removeUser(holder, at: clock)
        }

        let before = entries[userID]
        var entry = before ?? PresenceEntry(userID: userID, name: name, username: username, metas: [])
        entry.name = name
        entry.username = username
        if let grace = graces.end(userID: userID) {
            if grace.connID == connID, let held = entry.metas.first { meta.joinedAt = held.joinedAt }
            metaCount -= entry.metas.count
            entry.metas.removeAll()
        }
        if let index = entry.metas.firstIndex(where: { $0.connID == connID }) {
            entry.metas[index] = meta
        } else {
            entry.metas.append(meta)
            metaCount += 1
            connections[connID] = LiveConnection(userID: userID, bucket: bucket)
        }
        if entry != before {
            entries[userID] = entry
            markDirty(userID, at: clock)
        }
        return .joined(snapshot())
    }

    /// Removes connection `connID` from the room. If it was its user's last connection the
    /// user enters their grace period (nothing is reported until it ends); otherwise the
    /// user's meta list shrinks (an update).
    ///
    /// With `graceful: false` (an explicit `leave`, or the user was removed from the
    /// project) the user's last connection leaves at once, without a grace period.
    ///
    /// - Returns: whether the connection was in the room.
    @discardableResult
    public mutating func leave(connID: String, now: UInt64, graceful: Bool = true) -> Bool {
        advance(to: now)
        return detach(connID: connID, graceful: graceful)
    }

    /// Replaces the state of connection `connID`, subject to the size limit and to the
    /// connection's rate limit (an update that changes nothing still spends a token).
    public mutating func update(connID: String, state: PresenceValue, now: UInt64) -> UpdateResult {
        advance(to: now)
        guard var connection = connections[connID] else { return .notFound }
        let bytes = state.jsonByteCount
        guard bytes <= configuration.maxMetaBytes else { return .tooLarge(bytes: bytes) }
        if case .limited(let retryAfter) = connection.bucket.consume(now: clock) {
            return .rateLimited(retryAfter: retryAfter)
        }
        connections[connID] = connection

        let userID = connection.userID
        guard var entry = entries[userID], let index = entry.metas.firstIndex(where: { $0.connID == connID }) else {
            preconditionFailure("live connection without a meta")
        }
        if entry.metas[index].state != state {
            entry.metas[index].state = state
            entries[userID] = entry
            markDirty(userID, at: clock)
        }
        return .ok
    }

    /// Moves the clock to `now` (never back) and ends the graces due by then.
    mutating func advance(to now: UInt64) {
        clock = max(clock, now)
        while let grace = graces.popExpired(now: clock) {
            removeUser(grace.userID, at: grace.deadline)
        }
    }

    @discardableResult
    mutating func detach(connID: String, graceful: Bool = true) -> Bool {
        guard let connection = connections.removeValue(forKey: connID) else { return false }
        let userID = connection.userID
        guard var entry = entries[userID] else { preconditionFailure("live connection without an entry") }
        if entry.metas.count > 1 {
            entry.metas.removeAll { $0.connID == connID }
            entries[userID] = entry
            metaCount -= 1
            markDirty(userID, at: clock)
        } else if graceful, configuration.gracePeriod > 0 {
            graces.begin(userID: userID, connID: connID, deadline: Self.add(clock, configuration.gracePeriod))
        } else {
            removeUser(userID, at: clock)
        }
        return true
    }

    mutating func removeUser(_ userID: String, at time: UInt64) {
        guard let entry = entries.removeValue(forKey: userID) else { return }
        metaCount -= entry.metas.count
        markDirty(userID, at: time)
    }

    mutating func markDirty(_ userID: String, at time: UInt64) {
        dirty.insert(userID)
        if batchOpenedAt == nil { batchOpenedAt = time }
    }
}
