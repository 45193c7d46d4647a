import Foundation
import HubbubJSON
import Testing

@testable import HubbubHub

/// Commands that decode: one of each, defaults, and every client line of the example transcripts.
@Suite struct CommandDecoderTests {
    static let decoder = CommandDecoder(limits: CommandLimits())

    static func decode(_ json: String) -> Result<ClientMessage, DecodeFailure> {
        decoder.decode(Array(json.utf8))
    }

    static func object(_ members: [String: JSONValue]) -> JSONValue { .object(members) }

    private func expectDecodes(
        _ json: String, _ command: ClientCommand, id: String = "c1", sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let result = Self.decode(json)
        #expect(result == .success(ClientMessage(id: id, command: command)), sourceLocation: sourceLocation)
    }

    @Test func everyCommandDecodes() {
        expectDecodes(#"{"type":"auth","id":"c1","token":"a.b.c"}"#, .auth(token: "a.b.c"))
        expectDecodes(#"{"type":"ping","id":"c1"}"#, .ping)
        expectDecodes(
            #"{"type":"join","id":"c1","room":"p_apollo","since_seq":41,"presence":{"viewing_card":"card_12"}}"#,
            .join(room: "p_apollo", sinceSeq: 41, presence: Self.object(["viewing_card": .string("card_12")])))
        expectDecodes(#"{"type":"leave","id":"c1","room":"p_apollo"}"#, .leave(room: "p_apollo"))
        expectDecodes(#"{"type":"board","id":"c1","room":"p_apollo"}"#, .board(room: "p_apollo"))
        expectDecodes(
            #"{"type":"comment","id":"c1","room":"p","card_id":"card_12","text":"@bob hi","echo":false}"#,
            .comment(room: "p", cardID: "card_12", text: "@bob hi", echo: false))
        expectDecodes(
            #"{"type":"card_create","id":"c1","room":"p","column_id":"col_a","position":3,"title":"T"}"#,
            .cardCreate(room: "p", columnID: "col_a", position: 3, title: "T", echo: true))
        expectDecodes(
            #"{"type":"card_move","id":"c1","room":"p","card_id":"c","to_column_id":"d","to_position":0,"expected_version":4,"echo":true}"#,
            .cardMove(room: "p", cardID: "c", toColumnID: "d", toPosition: 0, expectedVersion: 4, echo: true))
        expectDecodes(
            #"{"type":"ephemeral","id":"c1","room":"p","key":"drag:card_12","data":{"x":1}}"#,
            .ephemeral(room: "p", key: "drag:card_12", data: Self.object(["x": .number(JSONNumber(integer: 1, double: 1))])))
        expectDecodes(
            #"{"type":"presence_update","id":"c1","room":"p","state":{}}"#, .presenceUpdate(room: "p", state: Self.object([:])))
        expectDecodes(
            #"{"type":"presence_roster","id":"c1","room":"p","cursor":"dV9jYXJvbA","limit":500}"#,
            .presenceRoster(room: "p", cursor: "dV9jYXJvbA", limit: 500))
    }

    @Test func optionalMembersTakeTheirDefaults() {
        expectDecodes(#"{"type":"join","id":"c1","room":"p"}"#, .join(room: "p", sinceSeq: nil, presence: nil))
        expectDecodes(
            #"{"type":"comment","id":"c1","room":"p","card_id":"c","text":"x"}"#,
            .comment(room: "p", cardID: "c", text: "x", echo: true))
        expectDecodes(
            #"{"type":"presence_roster","id":"c1","room":"p"}"#, .presenceRoster(room: "p", cursor: nil, limit: 100))
        var limits = CommandLimits()
        limits.defaultRosterPageSize = 7
        let result = CommandDecoder(limits: limits).decode(Array(#"{"type":"presence_roster","id":"c1","room":"p"}"#.utf8))
        #expect(result == .success(ClientMessage(id: "c1", command: .presenceRoster(room: "p", cursor: nil, limit: 7))))
    }

    @Test func boundaryValuesAreAccepted() {
        let id64 = String(repeating: "~", count: 64)
        let room64 = "a" + String(repeating: "._:-", count: 15) + "xyz"
        expectDecodes(#"{"type":"leave","id":"\#(id64)","room":"\#(room64)"}"#, .leave(room: room64), id: id64)
        expectDecodes(
            #"{"type":"join","id":"c1","room":"0","since_seq":9007199254740991}"#,
            .join(room: "0", sinceSeq: 9_007_199_254_740_991, presence: nil))
        expectDecodes(
            #"{"type":"card_move","id":"c1","room":"p","card_id":"c","to_column_id":"d","to_position":1000000,"expected_version":9007199254740991}"#,
            .cardMove(room: "p", cardID: "c", toColumnID: "d", toPosition: 1_000_000,
                expectedVersion: 9_007_199_254_740_991, echo: true))
        // JSON Schema integers are values, not spellings: 2.0 and 1e1 are integers, -0 is 0.
        expectDecodes(
            #"{"type":"card_create","id":"c1","room":"p","column_id":"c","position":2.0,"title":"t"}"#,
            .cardCreate(room: "p", columnID: "c", position: 2, title: "t", echo: true))
        expectDecodes(
            #"{"type":"join","id":"c1","room":"p","since_seq":1e1}"#, .join(room: "p", sinceSeq: 10, presence: nil))
        expectDecodes(
            #"{"type":"join","id":"c1","room":"p","since_seq":-0}"#, .join(room: "p", sinceSeq: 0, presence: nil))
    }

    @Test func unknownMembersAreIgnored() {
        expectDecodes(#"{"type":"ping","id":"c1","extra":[1,{"a":null}],"room":5}"#, .ping)
        expectDecodes(
            #"{"type":"leave","id":"c1","room":"p","echo":"not checked here","since_seq":-1}"#, .leave(room: "p"))
    }

    @Test func textsKeepTheirExactContent() {
        expectDecodes(
            #"{"type":"comment","id":"c1","room":"p","card_id":"c","text":"  caf\u00e9 \ud83d\ude00\n"}"#,
            .comment(room: "p", cardID: "c", text: "  café 😀\n", echo: true))
    }
}

/// Every client line of protocol/examples/*.jsonl, decoded and compared with the reply
/// the transcript shows for it.
@Suite struct CommandDecoderTranscriptTests {
    /// The codes the decoder answers; any other reply means the command decodes.
    static let decoderCodes: Set<String> = ["invalid_message", "unknown_type", "bad_request", "too_large"]

    static var examplesDirectory: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("protocol/examples")
    }

    static func transcripts() throws -> [(name: String, lines: [JSONValue])] {
        let names = try FileManager.default.contentsOfDirectory(atPath: examplesDirectory.path)
            .filter { $0.hasSuffix(".jsonl") }.sorted()
        return try names.map { name in
            let text = try String(contentsOf: examplesDirectory.appendingPathComponent(name), encoding: .utf8)
            let lines = text.split(separator: "\n").compactMap { JSONParser.parse(Array($0.utf8)) }
            return (name, lines)
        }
    }

    /// The `ack` or `error` answering the c2s line at `index`: the next s2c message of the
    /// same connection with the same id (`null` for a raw frame).
    static func reply(to index: Int, in lines: [JSONValue], id: JSONValue) -> JSONValue? {
        let conn = lines[index]["conn"]
        for line in lines[(index + 1)...] where line["conn"] == conn && line["dir"] == .string("s2c") {
            guard let msg = line["msg"], msg["type"] == .string("ack") || msg["type"] == .string("error") else { continue }
            if msg["id"] == id { return msg }
        }
        return nil
    }

    @Test func everyClientLineGetsTheDecodingTheTranscriptShows() throws {
        let decoder = CommandDecoder(limits: CommandLimits())
        var checked = 0
        var failures = 0
        for (name, lines) in try Self.transcripts() {
            #expect(!lines.isEmpty, "\(name) has no lines")
            for (index, line) in lines.enumerated() where line["dir"] == .string("c2s") {
                let bytes: [UInt8]
                let id: JSONValue
                if case .string(let raw)? = line["raw"] {
                    bytes = Array(raw.utf8)
                    id = .null
                } else if let msg = line["msg"] {
                    bytes = msg.compactBytes
                    id = msg["id"] ?? .null
                } else {
                    continue  // the HTTP upgrade
                }
                checked += 1
                let reply = Self.reply(to: index, in: lines, id: id)
                let result = decoder.decode(bytes)
                let place = "\(name) line \(index + 1)"
                guard case .string(let code)? = reply?["code"], Self.decoderCodes.contains(code) else {
                    #expect(line["invalid"] == nil, "\(place) is marked invalid but its reply is not a decoding error")
                    if case .failure(let failure) = result {
                        Issue.record("\(place) failed to decode: \(failure.error.code) \(failure.error.message)")
                    } else if case .success(let message) = result {
                        #expect(.string(message.command.type) == line["msg"]?["type"], "\(place)")
                        #expect(.string(message.id) == id, "\(place)")
                    }
                    continue
                }
                guard case .failure(let failure) = result else {
                    Issue.record("\(place) decoded, but the transcript answers \(code)")
                    continue
                }
                failures += 1
                #expect(failure.error.code.rawValue == code, "\(place)")
                #expect((failure.id.map { JSONValue.string($0) } ?? .null) == reply?["id"], "\(place)")
                #expect(failure.error.details == reply?["details"], "\(place)")
            }
        }
        #expect(checked > 50)
        #expect(failures == 4)  // 06-errors: not JSON, an unknown type, a missing room, a long comment
    }
}
