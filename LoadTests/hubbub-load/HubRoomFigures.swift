/// Per room, what the end-of-run checks need: the highest seq acknowledged to a
/// publisher (every member should have received up to it), comments acknowledged and
/// members joined (their product is the deliveries expected).
struct HubRoomFigures: Sendable {
    var headSeq: [Int64]
    var acked: [Int]
    var joined: [Int]

    init(rooms: Int) {
        headSeq = Array(repeating: 0, count: rooms)
        acked = Array(repeating: 0, count: rooms)
        joined = Array(repeating: 0, count: rooms)
    }

    /// Each comment acknowledged in a room is delivered to each member joined there.
    var expectedDeliveries: Int {
        zip(acked, joined).reduce(0) { $0 + $1.0 * $1.1 }
    }

    mutating func add(_ other: HubRoomFigures) {
        for room in headSeq.indices where room < other.headSeq.count {
            headSeq[room] = max(headSeq[room], other.headSeq[room])
            acked[room] += other.acked[room]
            joined[room] += other.joined[room]
        }
    }
}
