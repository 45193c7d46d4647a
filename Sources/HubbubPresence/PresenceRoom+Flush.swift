extension PresenceRoom {
    /// Publishes the changes of the batch window if it has ended by `now`, after ending the
    /// graces due by then.
    ///
    /// Returns `nil` when no window is open, when it is still open, or when its changes
    /// cancelled out. Otherwise returns one coalesced diff (see ``PresenceDiff``) to broadcast
    /// to every connection in the room, and the published state becomes the current state.
    /// The room's mode is decided here, from the current user count, with hysteresis.
    public mutating func flush(now: UInt64) -> PresenceDiff? {
        advance(to: now)
        guard let opened = batchOpenedAt, clock >= Self.add(opened, configuration.batchWindow) else { return nil }
        batchOpenedAt = nil

        var changes = PresenceChanges()
        for userID in dirty.sorted() {
            let shown = shownEarly[userID]
            switch (published[userID], entries[userID]) {
            case (nil, nil):
                // Joined and left within the window; a joiner who was shown them hears
                // the leave (the others ignore a leave of a user they do not have).
                if case .some(.some(let entry)) = shown { changes.leaves.append(entry) }
            case (nil, let entry?):
                changes.joins.append(entry)
                published[userID] = entry
                publishedOrder.insert(userID)
            case (let entry?, nil):
                changes.leaves.append(entry)
                published[userID] = nil
                publishedOrder.remove(userID)
            case (let old?, let new?):
                if old != new {
                    changes.updates.append(new)
                    published[userID] = new
                } else if case .some(let early) = shown, early != new {
                    changes.updates.append(new)  // a joiner saw an intermediate entry
                }
            }
        }
        dirty.removeAll(keepingCapacity: true)
        shownEarly.removeAll(keepingCapacity: true)
        assert(published.count == entries.count && publishedOrder.count == entries.count)

        let oldCounts = publishedCounts
        publishedCounts = PresenceCounts(users: entries.count, connections: metaCount)
        let oldMode = mode
        mode = Self.mode(after: oldMode, users: entries.count, configuration: configuration)

        if mode != oldMode { return .state(snapshot()) }
        switch mode {
        case .full: return changes.isEmpty ? nil : .full(changes)
        case .counts: return publishedCounts == oldCounts ? nil : .counts(publishedCounts)
        }
    }

    /// Counts mode above `largeRoomThreshold` users, full mode at `largeRoomExitThreshold` or
    /// below, the current mode in between.
    static func mode(after mode: PresenceMode, users: Int, configuration: PresenceConfiguration) -> PresenceMode {
        switch mode {
        case .full: users > configuration.largeRoomThreshold ? .counts : .full
        case .counts: users <= configuration.largeRoomExitThreshold ? .full : .counts
        }
    }
}
