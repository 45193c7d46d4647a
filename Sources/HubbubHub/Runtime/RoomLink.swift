import Logging
import HubbubIO

/// A session's view of one room it joined (or is joining): where its stream starts and
/// what waits while the join or the catch-up is under way.
final class RoomLink {
    enum Phase {
        /// The join is with the room; deliveries wait in `buffer`.
        case joining
        /// The ack went out; events `(replayedUpTo, boundary]` are being read from the store.
        case replaying
        /// Everything is sent as it arrives.
        case live
    }

    let room: Room
    /// Tells this link from a later one for the same room (after a leave and a rejoin),
    /// so work that comes back from another thread finds the link it started from.
    let epoch: UInt64
    var phase = Phase.joining
    /// Events at or below this seq are already with the client (board or replay): dropped.
    var boundary: Int64 = .max
    /// The last seq sent during the replay.
    var replayedUpTo: Int64 = 0
    private(set) var buffer: [Delivery] = []
    private(set) var bufferedBytes = 0

    init(room: Room, epoch: UInt64) {
        self.room = room
        self.epoch = epoch
    }

    func hold(_ delivery: Delivery, bytes: Int) {
        buffer.append(delivery)
        bufferedBytes += bytes
    }

    func takeBuffer() -> [Delivery] {
        defer {
            buffer = []
            bufferedBytes = 0
        }
        return buffer
    }
}
