import HubbubJSON
import Testing

@testable import HubbubHub

/// Every way a command fails to decode: the code, the id the reply carries, `details`.
@Suite struct CommandDecoderErrorTests {
    /// A message that must fail with `bad_request` on `field` for `reason`.
    struct BadRequest: Sendable, CustomTestStringConvertible {
        var json: String
        var field: String
        var reason: String
        var testDescription: String { "\(field) \(reason): \(json.prefix(120))" }

        init(_ json: String, _ field: String, _ reason: String) {
            self.json = json
            self.field = field
            self.reason = reason
        }
    }

    static func failure(_ json: String, limits: CommandLimits = CommandLimits()) -> DecodeFailure? {
        failure(Array(json.utf8), limits: limits)
    }

    static func failure(_ bytes: [UInt8], limits: CommandLimits = CommandLimits()) -> DecodeFailure? {
        guard case .failure(let failure) = CommandDecoder(limits: limits).decode(bytes) else { return nil }
        return failure
    }

    static func integer(_ value: Int) -> JSONValue { .number(JSONNumber(integer: Int64(value), double: Double(value))) }

    static func tooLargeDetails(_ field: String, limit: Int, size: Int) -> JSONValue {
        .object(["field": .string(field), "limit_bytes": integer(limit), "size_bytes": integer(size)])
    }

    static func comment(text: String) -> String {
        #"{"type":"comment","id":"c1","room":"p","card_id":"c","text":"\#(text)"}"#
    }

    // MARK: invalid_message, unknown_type, id

    @Test(arguments: ["", " ", "{", "[1]", "\"text\"", "null", "12", #"{"type":"ping","id":"c1",}"#,
        #"{"type":"ping","id":"c1","id":"c2"}"#, #"{"type":"ping","id":"c1"} x"#, "{\"type\":\"ping\",\"id\":\"\u{1}\"}"])
    func notAJSONObjectIsInvalidMessage(_ text: String) {
        let failure = Self.failure(text)
        #expect(failure == DecodeFailure(id: nil, error: ProtocolError(.invalidMessage, "message is not a JSON object")))
    }

    @Test func invalidUTF8AndDeepNestingAreInvalidMessage() {
        let invalidUTF8 = Self.failure([0x7B, 0x22, 0xFF, 0x22, 0x3A, 0x31, 0x7D])
        #expect(invalidUTF8?.error.code == .invalidMessage)
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        let nested = Self.failure(#"{"type":"ping","id":"c1","x":\#(deep)}"#)
        #expect(nested?.error.code == .invalidMessage)
        #expect(nested?.id == nil)
    }

    @Test func unknownTypeReportsTheTypeAndTheID() {
        let unknown = Self.failure(#"{"type":"card_delete","id":"e41f0b2c-4","room":"p"}"#)
        #expect(unknown?.id == "e41f0b2c-4")
        #expect(unknown?.error.code == .unknownType)
        #expect(unknown?.error.details == .object(["type": .string("card_delete")]))
        for type in ["ack", "Join", "comment.created", "", "ping "] {
            let failure = Self.failure(#"{"type":"\#(type)","id":"c1"}"#)
            #expect(failure?.error.details == .object(["type": .string(type)]), "\(type)")
        }
        let missing = Self.failure(#"{"id":"c1","room":"p"}"#)
        #expect(missing?.error.code == .unknownType)
        #expect(missing?.id == "c1")
        #expect(missing?.error.details == nil)
        let number = Self.failure(#"{"type":5,"id":"c1"}"#)
        #expect(number?.error.code == .unknownType)
        #expect(number?.error.details == nil)
    }

    @Test func unknownTypeComesBeforeTheIDCheck() {
        let failure = Self.failure(#"{"type":"nope","id":""}"#)
        #expect(failure?.error.code == .unknownType)
        #expect(failure?.id == nil)
    }

    @Test(arguments: [
        BadRequest(#"{"type":"ping"}"#, "/id", "required"),
        BadRequest(#"{"type":"ping","id":7}"#, "/id", "wrong_type"),
        BadRequest(#"{"type":"ping","id":null}"#, "/id", "wrong_type"),
        BadRequest(#"{"type":"ping","id":""}"#, "/id", "invalid_format"),
        BadRequest(#"{"type":"ping","id":"a b"}"#, "/id", "invalid_format"),
        BadRequest(#"{"type":"ping","id":"caf\u00e9"}"#, "/id", "invalid_format"),
        BadRequest(#"{"type":"ping","id":"\#(String(repeating: "x", count: 65))"}"#, "/id", "invalid_format"),
    ])
    func badIDHasNoID(_ test: BadRequest) {
        let failure = Self.failure(test.json)
        #expect(failure?.id == nil)
        #expect(failure?.error == .badRequest(field: test.field, reason: test.reason, failure?.error.message ?? ""))
    }

    // MARK: bad_request per member

    @Test(arguments: [
        // Ids of rooms, cards and columns.
        BadRequest(#"{"type":"join","id":"c1","since_seq":3}"#, "/room", "required"),
        BadRequest(#"{"type":"leave","id":"c1","room":5}"#, "/room", "wrong_type"),
        BadRequest(#"{"type":"board","id":"c1","room":null}"#, "/room", "wrong_type"),
        BadRequest(#"{"type":"board","id":"c1","room":""}"#, "/room", "invalid_format"),
        BadRequest(#"{"type":"board","id":"c1","room":"_p"}"#, "/room", "invalid_format"),
        BadRequest(#"{"type":"board","id":"c1","room":"p/q"}"#, "/room", "invalid_format"),
        BadRequest(#"{"type":"board","id":"c1","room":"\#(String(repeating: "p", count: 65))"}"#, "/room", "invalid_format"),
        BadRequest(#"{"type":"comment","id":"c1","room":"p","text":"x"}"#, "/card_id", "required"),
        BadRequest(#"{"type":"comment","id":"c1","room":"p","card_id":"c d","text":"x"}"#, "/card_id", "invalid_format"),
        BadRequest(#"{"type":"card_create","id":"c1","room":"p","position":0,"title":"t"}"#, "/column_id", "required"),
        BadRequest(
            #"{"type":"card_move","id":"c1","room":"p","card_id":"c","to_column_id":["d"],"to_position":0,"expected_version":1}"#,
            "/to_column_id", "wrong_type"),
        // Members are checked in schema order: room before card_id before text.
        BadRequest(#"{"type":"comment","id":"c1","room":"-","card_id":"-","text":""}"#, "/room", "invalid_format"),
        BadRequest(#"{"type":"comment","id":"c1","room":"p","card_id":"-","text":""}"#, "/card_id", "invalid_format"),
        // Integers.
        BadRequest(#"{"type":"join","id":"c1","room":"p","since_seq":-1}"#, "/since_seq", "out_of_range"),
        BadRequest(#"{"type":"join","id":"c1","room":"p","since_seq":1.5}"#, "/since_seq", "wrong_type"),
        BadRequest(#"{"type":"join","id":"c1","room":"p","since_seq":"3"}"#, "/since_seq", "wrong_type"),
        BadRequest(#"{"type":"join","id":"c1","room":"p","since_seq":null}"#, "/since_seq", "wrong_type"),
        BadRequest(#"{"type":"join","id":"c1","room":"p","since_seq":9007199254740992}"#, "/since_seq", "out_of_range"),
        BadRequest(#"{"type":"join","id":"c1","room":"p","since_seq":99999999999999999999}"#, "/since_seq", "out_of_range"),
        BadRequest(#"{"type":"join","id":"c1","room":"p","since_seq":1e400}"#, "/since_seq", "out_of_range"),
        BadRequest(#"{"type":"join","id":"c1","room":"p","since_seq":-1e400}"#, "/since_seq", "out_of_range"),
        BadRequest(#"{"type":"card_create","id":"c1","room":"p","column_id":"c","title":"t"}"#, "/position", "required"),
        BadRequest(#"{"type":"card_create","id":"c1","room":"p","column_id":"c","position":-1,"title":"t"}"#, "/position", "out_of_range"),
        BadRequest(
            #"{"type":"card_create","id":"c1","room":"p","column_id":"c","position":1000001,"title":"t"}"#, "/position", "out_of_range"),
        BadRequest(#"{"type":"card_create","id":"c1","room":"p","column_id":"c","position":0.5,"title":"t"}"#, "/position", "wrong_type"),
        BadRequest(
            #"{"type":"card_move","id":"c1","room":"p","card_id":"c","to_column_id":"d","to_position":-3,"expected_version":1}"#,
            "/to_position", "out_of_range"),
        BadRequest(
            #"{"type":"card_move","id":"c1","room":"p","card_id":"c","to_column_id":"d","to_position":0,"expected_version":0}"#,
            "/expected_version", "out_of_range"),
        BadRequest(
            #"{"type":"card_move","id":"c1","room":"p","card_id":"c","to_column_id":"d","to_position":0}"#,
            "/expected_version", "required"),
        BadRequest(
            #"{"type":"card_move","id":"c1","room":"p","card_id":"c","to_column_id":"d","to_position":0,"expected_version":true}"#,
            "/expected_version", "wrong_type"),
        // Booleans.
        BadRequest(#"{"type":"comment","id":"c1","room":"p","card_id":"c","text":"x","echo":"false"}"#, "/echo", "wrong_type"),
        BadRequest(#"{"type":"card_create","id":"c1","room":"p","column_id":"c","position":0,"title":"t","echo":0}"#, "/echo", "wrong_type"),
        // Texts.
        BadRequest(#"{"type":"comment","id":"c1","room":"p","card_id":"c"}"#, "/text", "required"),
        BadRequest(#"{"type":"comment","id":"c1","room":"p","card_id":"c","text":5}"#, "/text", "wrong_type"),
        BadRequest(comment(text: ""), "/text", "blank"),
        BadRequest(comment(text: #" \t\r\n\u00a0\u2028\u3000 "#), "/text", "blank"),
        BadRequest(#"{"type":"card_create","id":"c1","room":"p","column_id":"c","position":0,"title":" "}"#, "/title", "blank"),
        BadRequest(#"{"type":"card_create","id":"c1","room":"p","column_id":"c","position":0,"title":""}"#, "/title", "blank"),
        BadRequest(#"{"type":"card_create","id":"c1","room":"p","column_id":"c","position":0}"#, "/title", "required"),
        // Objects.
        BadRequest(#"{"type":"join","id":"c1","room":"p","presence":[]}"#, "/presence", "wrong_type"),
        BadRequest(#"{"type":"join","id":"c1","room":"p","presence":null}"#, "/presence", "wrong_type"),
        BadRequest(#"{"type":"presence_update","id":"c1","room":"p"}"#, "/state", "required"),
        BadRequest(#"{"type":"presence_update","id":"c1","room":"p","state":"idle"}"#, "/state", "wrong_type"),
        BadRequest(#"{"type":"ephemeral","id":"c1","room":"p","key":"typing"}"#, "/data", "required"),
        BadRequest(#"{"type":"ephemeral","id":"c1","room":"p","key":"typing","data":[1]}"#, "/data", "wrong_type"),
        // Ephemeral keys.
        BadRequest(#"{"type":"ephemeral","id":"c1","room":"p","data":{}}"#, "/key", "required"),
        BadRequest(#"{"type":"ephemeral","id":"c1","room":"p","key":1,"data":{}}"#, "/key", "wrong_type"),
        BadRequest(#"{"type":"ephemeral","id":"c1","room":"p","key":"","data":{}}"#, "/key", "invalid_format"),
        BadRequest(#"{"type":"ephemeral","id":"c1","room":"p","key":"Typing","data":{}}"#, "/key", "invalid_format"),
        BadRequest(#"{"type":"ephemeral","id":"c1","room":"p","key":"a b","data":{}}"#, "/key", "invalid_format"),
        BadRequest(
            #"{"type":"ephemeral","id":"c1","room":"p","key":"\#(String(repeating: "k", count: 65))","data":{}}"#,
            "/key", "invalid_format"),
        // The roster.
        BadRequest(#"{"type":"presence_roster","id":"c1","room":"p","limit":0}"#, "/limit", "out_of_range"),
        BadRequest(#"{"type":"presence_roster","id":"c1","room":"p","limit":501}"#, "/limit", "out_of_range"),
        BadRequest(#"{"type":"presence_roster","id":"c1","room":"p","limit":"100"}"#, "/limit", "wrong_type"),
        BadRequest(#"{"type":"presence_roster","id":"c1","room":"p","cursor":""}"#, "/cursor", "blank"),
        BadRequest(#"{"type":"presence_roster","id":"c1","room":"p","cursor":7}"#, "/cursor", "wrong_type"),
        BadRequest(
            #"{"type":"presence_roster","id":"c1","room":"p","cursor":"\#(String(repeating: "c", count: 513))"}"#,
            "/cursor", "too_long"),
        // Tokens.
        BadRequest(#"{"type":"auth","id":"c1"}"#, "/token", "required"),
        BadRequest(#"{"type":"auth","id":"c1","token":null}"#, "/token", "wrong_type"),
        BadRequest(#"{"type":"auth","id":"c1","token":""}"#, "/token", "blank"),
        BadRequest(#"{"type":"auth","id":"c1","token":"\#(String(repeating: "t", count: 8193))"}"#, "/token", "too_long"),
    ])
    func badRequestNamesTheFieldAndTheReason(_ test: BadRequest) {
        let failure = Self.failure(test.json)
        #expect(failure?.id == "c1")
        #expect(failure?.error.code == .badRequest)
        #expect(failure?.error.details == .object(["field": .string(test.field), "reason": .string(test.reason)]))
        #expect(failure?.error.message.isEmpty == false)
    }

    @Test func stringLengthsCountCodePoints() {
        let cursor = String(repeating: "é", count: 512)  // 1024 UTF-8 bytes, 512 code points
        let ok = CommandDecoder(limits: CommandLimits())
            .decode(Array(#"{"type":"presence_roster","id":"c1","room":"p","cursor":"\#(cursor)"}"#.utf8))
        #expect(ok == .success(ClientMessage(id: "c1", command: .presenceRoster(room: "p", cursor: cursor, limit: 100))))
        var limits = CommandLimits()
        limits.maxTokenCharacters = 4
        #expect(Self.failure(#"{"type":"auth","id":"c1","token":"ééé"}"#, limits: limits) == nil)
        #expect(Self.failure(#"{"type":"auth","id":"c1","token":"ééééé"}"#, limits: limits)?.error.code == .badRequest)
    }
}
