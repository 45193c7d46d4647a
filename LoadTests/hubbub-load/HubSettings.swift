/// The `--mode hub` scenario: N connections speaking `hubbub.v1` at `/ws`, spread over
/// R rooms (connection i joins room i % R as user i), the first P connections of each
/// room publishing `comment` commands at `rate` per room in total.
struct HubSettings: Sendable {
    /// The subprotocol offered when `--subprotocol` is not given.
    static let defaultSubprotocol = "hubbub.v1"
    /// The card every comment goes to (the seed file creates it in every room).
    static let cardID = "card_0"
    /// The column that holds it.
    static let columnID = "col_0"
    /// A paced publisher with this many comments unacknowledged skips its turn
    /// (counted): the server closes a connection with 64 commands waiting (1008).
    static let maxInFlight = 32
    /// A closed-loop publisher whose comment got an error waits this long (or the
    /// error's `retry_after_ms`) before the next one.
    static let retryDelay: UInt64 = 10_000_000
    /// Server messages can be up to 4 MiB (a join ack with a large board).
    static let maxServerMessageBytes = 4 << 20

    var connections: Int
    var rooms: Int
    var publishersPerRoom: Int
    /// Comments per second per room, across its publishers; 0 = closed loop.
    var ratePerRoom: Double
    var jwtSecret: [UInt8]
    var projectPrefix: String
    var userPrefix: String
    /// Seconds a minted token stays valid.
    var tokenLifetime: Int64
    /// Makes command ids unique across runs: the server remembers a user's ids for 24 h
    /// (idempotency), so a reused id would be answered with the old ack, or `duplicate`.
    var runID: String
    /// Parse every server message with HubbubJSON's JSONParser instead of the
    /// targeted scan (slower; to cross-check the scan).
    var fullParse: Bool

    func room(ofConnection index: Int) -> Int { index % rooms }

    /// The first P connections of each room publish: i / R < P.
    func isPublisher(_ index: Int) -> Bool { index / rooms < publishersPerRoom }

    func roomID(_ room: Int) -> String { projectPrefix + String(room) }

    func userID(_ index: Int) -> String { userPrefix + String(index) }

    /// Connections in `room` (the first N % R rooms have one more).
    func members(ofRoom room: Int) -> Int {
        connections / rooms + (room < connections % rooms ? 1 : 0)
    }

    /// Publishers in `room` (fewer than P when the room has fewer members).
    func publishers(inRoom room: Int) -> Int {
        min(publishersPerRoom, members(ofRoom: room))
    }

    /// Nanoseconds between two comments of one publisher of `room`; nil in closed loop.
    func publishInterval(room: Int) -> UInt64? {
        guard ratePerRoom > 0 else { return nil }
        return max(1, UInt64(1e9 * Double(max(1, publishers(inRoom: room))) / ratePerRoom))
    }
}
