import HubbubJSON
import Testing

@testable import HubbubHub

/// `too_large` at and around each byte limit, and inputs that must never trap.
@Suite struct CommandDecoderLimitTests {
    typealias Errors = CommandDecoderErrorTests

    /// `{"a":"xx…"}` whose compact encoding is exactly `size` bytes (at least 8).
    static func object(ofSize size: Int) -> String { #"{"a":"\#(String(repeating: "x", count: size - 8))"}"# }

    @Test func commentTextCountsUTF8Bytes() {
        #expect(Errors.failure(Errors.comment(text: String(repeating: "x", count: 10_000))) == nil)
        let over = Errors.failure(Errors.comment(text: String(repeating: "x", count: 10_001)))
        #expect(over?.id == "c1")
        #expect(over?.error.code == .tooLarge)
        #expect(over?.error.details == Errors.tooLargeDetails("/text", limit: 10_000, size: 10_001))
        // The transcript's case: 3401 code points, 10203 bytes.
        let euros = Errors.failure(Errors.comment(text: String(repeating: "€", count: 3401)))
        #expect(euros?.error.details == Errors.tooLargeDetails("/text", limit: 10_000, size: 10_203))
        #expect(euros?.error.message == "comment text is 10203 bytes; the limit is 10000")
        // Over the limit wins over blank.
        let blank = Errors.failure(Errors.comment(text: String(repeating: " ", count: 10_001)))
        #expect(blank?.error.code == .tooLarge)
        var limits = CommandLimits()
        limits.maxCommentBytes = 3
        #expect(Errors.failure(Errors.comment(text: "abc"), limits: limits) == nil)
        #expect(Errors.failure(Errors.comment(text: "é"), limits: limits) == nil)
        let small = Errors.failure(Errors.comment(text: "éé"), limits: limits)
        #expect(small?.error.details == Errors.tooLargeDetails("/text", limit: 3, size: 4))
    }

    @Test func titleCountsUTF8Bytes() {
        func card(_ title: String) -> String {
            #"{"type":"card_create","id":"c1","room":"p","column_id":"c","position":0,"title":"\#(title)"}"#
        }
        #expect(Errors.failure(card(String(repeating: "é", count: 250))) == nil)
        let over = Errors.failure(card(String(repeating: "é", count: 250) + "x"))
        #expect(over?.error.code == .tooLarge)
        #expect(over?.error.details == Errors.tooLargeDetails("/title", limit: 500, size: 501))
    }

    @Test func presenceStateBytesAndMembers() {
        let join = { (presence: String) in #"{"type":"join","id":"c1","room":"p","presence":\#(presence)}"# }
        let update = { (state: String) in #"{"type":"presence_update","id":"c1","room":"p","state":\#(state)}"# }
        #expect(Errors.failure(join(Self.object(ofSize: 1024))) == nil)
        #expect(Errors.failure(update(Self.object(ofSize: 1024))) == nil)
        // Whitespace as sent does not count: the compact encoding does.
        #expect(Errors.failure(update(" { \"a\" : \"\(String(repeating: "x", count: 1016))\" } ")) == nil)
        let joinOver = Errors.failure(join(Self.object(ofSize: 1025)))
        #expect(joinOver?.error.code == .tooLarge)
        #expect(joinOver?.error.details == Errors.tooLargeDetails("/presence", limit: 1024, size: 1025))
        let updateOver = Errors.failure(update(Self.object(ofSize: 1025)))
        #expect(updateOver?.error.details == Errors.tooLargeDetails("/state", limit: 1024, size: 1025))

        let members = { (count: Int) in "{" + (0..<count).map { #""m\#($0)":0"# }.joined(separator: ",") + "}" }
        #expect(Errors.failure(update(members(32))) == nil)
        let many = Errors.failure(update(members(33)))
        #expect(many?.error.code == .tooLarge)
        #expect(many?.error.details?["field"] == .string("/state"))
        #expect(many?.error.details?["limit_bytes"] == Errors.integer(1024))
        #expect(many?.error.details?["limit_members"] == Errors.integer(32))
        #expect(many?.error.details?["size_members"] == Errors.integer(33))
        let joinMany = Errors.failure(join(members(33)))
        #expect(joinMany?.error.details?["field"] == .string("/presence"))
    }

    @Test func ephemeralDataBytes() {
        let message = { (data: String) in #"{"type":"ephemeral","id":"c1","room":"p","key":"cursor","data":\#(data)}"# }
        #expect(Errors.failure(message(Self.object(ofSize: 4096))) == nil)
        let over = Errors.failure(message(Self.object(ofSize: 4097)))
        #expect(over?.error.code == .tooLarge)
        #expect(over?.error.details == Errors.tooLargeDetails("/data", limit: 4096, size: 4097))
        // Escapes are measured as the compact encoding writes them.
        let escaped = Errors.failure(message(#"{"a":"\u0001"}"#))
        #expect(escaped == nil)
        var limits = CommandLimits()
        limits.maxEphemeralBytes = 14
        #expect(Errors.failure(message(#"{"a":"\u0001"}"#), limits: limits) == nil)  // {"a":"\u0001"} is 14 bytes
        limits.maxEphemeralBytes = 13
        #expect(Errors.failure(message(#"{"a":"\u0001"}"#), limits: limits)?.error.code == .tooLarge)
    }

    @Test func rosterLimitFollowsTheConfiguredMaximum() {
        var limits = CommandLimits()
        limits.maxRosterPageSize = 10
        let over = Errors.failure(#"{"type":"presence_roster","id":"c1","room":"p","limit":11}"#, limits: limits)
        #expect(over?.error.details == .object(["field": .string("/limit"), "reason": .string("out_of_range")]))
        #expect(Errors.failure(#"{"type":"presence_roster","id":"c1","room":"p","limit":10}"#, limits: limits) == nil)
    }

    /// Random mutations of valid messages: any result is fine, a trap is not.
    @Test func mutatedMessagesNeverTrap() {
        let seeds = [
            #"{"type":"card_move","id":"c1","room":"p","card_id":"c","to_column_id":"d","to_position":0,"expected_version":3}"#,
            #"{"type":"join","id":"c1","room":"p","since_seq":41,"presence":{"a":[1,2.5,"\u00e9"]}}"#,
            #"{"type":"comment","id":"c1","room":"p","card_id":"c","text":"@bob caf\u00e9 😀","echo":false}"#,
            #"{"type":"presence_roster","id":"c1","room":"p","cursor":"x","limit":500}"#,
        ]
        let alphabet = Array(#"{}[]":,.-+eE0123456789 \u"#.utf8) + [0x00, 0x80, 0xC3, 0xFF]
        var random = SplitMix64(seed: 0x4875_6262_7562)
        let decoder = CommandDecoder(limits: CommandLimits())
        var decoded = 0
        for round in 0..<4000 {
            var bytes = Array(seeds[round % seeds.count].utf8)
            for _ in 0...(random.next() % 4) {
                let position = Int(random.next() % UInt64(bytes.count))
                let byte = alphabet[Int(random.next() % UInt64(alphabet.count))]
                switch random.next() % 3 {
                case 0: bytes[position] = byte
                case 1: bytes.insert(byte, at: position)
                default: if bytes.count > 1 { bytes.remove(at: position) }
                }
            }
            if case .success = decoder.decode(bytes) { decoded += 1 }
        }
        #expect(decoded < 4000)
    }
}

/// A small deterministic generator for the mutation test.
private struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
