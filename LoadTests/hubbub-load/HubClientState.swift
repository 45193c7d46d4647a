/// One connection's `hubbub.v1` session in the hub scenario: which room it joins as
/// which user, whether it publishes, how far its room's seq stream has come, and its
/// comments awaiting their reply. Owned by its `ClientConnection`, on its loop thread.
struct HubClientState {
    enum Phase {
        /// Upgraded; `welcome` not received yet.
        case awaitingWelcome
        /// `join` sent, no reply yet.
        case joining
        case joined
        /// The join was refused.
        case failed
    }

    /// The connection's number i: user i, room i % R.
    let index: Int
    let room: Int
    let roomID: String
    let isPublisher: Bool
    /// Nanoseconds between two comments; nil in closed loop.
    let interval: UInt64?
    var phase = Phase.awaitingWelcome
    /// The seq of the last durable event taken (the join's `head_seq` at first).
    var lastSeq: Int64?
    /// The number of the next comment.
    var nextNumber = 0
    /// Comments sent without a reply yet: number -> send time (monotonic ns).
    var inFlight: [Int: UInt64] = [:]
    /// Publishing has started (the measured phase, once joined).
    var publishing = false
    /// Paced: when the next comment is due.
    var nextSendAt: UInt64 = 0

    init(index: Int, settings: HubSettings) {
        self.index = index
        room = settings.room(ofConnection: index)
        roomID = settings.roomID(room)
        isPublisher = settings.isPublisher(index)
        interval = settings.publishInterval(room: room)
    }

    enum SeqOutcome {
        case next
        /// Seqs skipped over.
        case gap(Int64)
        case duplicate
        case outOfOrder
    }

    /// Takes the seq of a durable event: exactly the previous + 1 is expected (the
    /// first event sets the base when no `head_seq` did).
    mutating func take(seq: Int64) -> SeqOutcome {
        guard let last = lastSeq else {
            lastSeq = seq
            return .next
        }
        if seq == last + 1 {
            lastSeq = seq
            return .next
        }
        if seq > last + 1 {
            lastSeq = seq
            return .gap(seq - last - 1)
        }
        return seq == last ? .duplicate : .outOfOrder
    }
}
