import HubbubIO
import Logging

/// The hub scenario's additions to the phases: joins are part of connecting, and the
/// drain waits for every reply and every fan-out, then checks that no connection is
/// missing events at the end of its room's stream.
extension LoadRun {
    /// Every connection that came up has had its join answered (or has ended).
    func hubJoinsSettled(_ totals: LoopCounters) -> Bool {
        totals.hub.joined + totals.hub.joinFailures >= totals.connected
    }

    /// The connect+join time and the joins the connect timeout cut short.
    func recordJoins(_ totals: LoopCounters, start: UInt64, timedOut: Bool) {
        let pending = totals.connected - totals.hub.joined - totals.hub.joinFailures
        result.joinTimeouts = max(0, pending)
        let end = totals.hub.lastJoinedAt > start && pending <= 0 ? totals.hub.lastJoinedAt : MonotonicClock.now()
        result.joinSeconds = Double(end - start) / 1e9
        if pending > 0, !interrupt.isRaised {
            logger.warning("connect timeout: \(totals.hub.joined) of \(totals.connected) connections joined")
        }
    }

    /// The per-room figures of every loop, combined.
    func roomFigures() -> HubRoomFigures {
        stats.reduce(into: HubRoomFigures(rooms: settings.hub?.rooms ?? 0)) { $0.add($1.roomFigures()) }
    }

    /// Waits (at most the drain timeout) until every comment has its reply and every
    /// acknowledged comment has reached every member of its room; then each connection
    /// compares the last seq it received with its room's highest acknowledged seq.
    func drainHub(_ group: EventLoopGroup) async throws {
        let deadline = MonotonicClock.now() &+ LoadRun.drainTimeout
        while MonotonicClock.now() < deadline {
            let totals = totals()
            if totals.hub.commentsPending <= 0, totals.hub.commentsDelivered >= roomFigures().expectedDeliveries { break }
            try await pause()
        }
        let heads = roomFigures().headSeq
        for loop in group.loops {
            try await loop.submit { engine in
                engine.forEachConnection { connection in
                    (connection.currentHandler as? ClientConnection)?.checkMissing(headSeqs: heads)
                }
            }
        }
    }
}
