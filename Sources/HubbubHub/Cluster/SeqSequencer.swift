/// Puts a room's events from other nodes back in seq order: an event right after the
/// last delivered one is ready at once; a later one is held until the events before it
/// arrive or are read from the store (``missing``); an event at or below the last
/// delivered one is a duplicate. Pure state, no I/O, no clock: the room arms the gap
/// timer.
struct SeqSequencer<Item> {
    /// The seq of the newest event delivered.
    private(set) var delivered: Int64
    private var held: [Int64: Item] = [:]
    /// At most this many events are held; past it the oldest gap is filled at once.
    let maxHeld: Int

    init(delivered: Int64, maxHeld: Int = 10_000) {
        self.delivered = delivered
        self.maxHeld = maxHeld
    }

    enum Offer {
        /// At or below the last delivered seq, or already held: drop it.
        case duplicate
        /// Deliver these, in order (the offered event and any held ones it unblocked).
        case ready([(seq: Int64, item: Item)])
        /// Held behind a gap (``missing``).
        case held
    }

    var isHolding: Bool { !held.isEmpty }

    /// The seqs to read from the store so that the held events can go: from the one after
    /// the last delivered to the one before the first held.
    var missing: ClosedRange<Int64>? {
        guard let first = held.keys.min(), first > delivered + 1 else { return nil }
        return (delivered + 1)...(first - 1)
    }

    /// Whether the held events exceed ``maxHeld`` (fill the gap now, without waiting).
    var isOverfull: Bool { held.count > maxHeld }

    mutating func offer(seq: Int64, _ item: Item) -> Offer {
        if seq <= delivered || held[seq] != nil { return .duplicate }
        guard seq == delivered + 1 else {
            held[seq] = item
            return .held
        }
        delivered = seq
        return .ready([(seq, item)] + drainContiguous())
    }

    /// Events up to `seq` were delivered by another path (this node's own commits, or a
    /// store read): held ones at or below it are dropped; returns those now unblocked.
    mutating func delivered(upTo seq: Int64) -> [(seq: Int64, item: Item)] {
        if seq > delivered { delivered = seq }
        for key in held.keys where key <= delivered { held[key] = nil }
        return drainContiguous()
    }

    private mutating func drainContiguous() -> [(seq: Int64, item: Item)] {
        var ready: [(seq: Int64, item: Item)] = []
        while let next = held.removeValue(forKey: delivered + 1) {
            delivered += 1
            ready.append((delivered, next))
        }
        return ready
    }
}
