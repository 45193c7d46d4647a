import Testing

@testable import HubbubJSON

@Suite struct JSONParserTests {
    private func parse(_ text: String) -> JSONValue? { JSONParser.parse(Array(text.utf8)) }

    @Test func values() {
        #expect(parse(" true ") == .bool(true))
        #expect(parse("false") == .bool(false))
        #expect(parse("null") == .null)
        #expect(parse(#""a\tb""#) == .string("a\tb"))
        #expect(
            parse("[1, -0, 2.5, -1E+2]")
                == .array([
                    .number(JSONNumber(integer: 1, double: 1)), .number(JSONNumber(integer: 0, double: 0)),
                    .number(JSONNumber(integer: nil, double: 2.5)), .number(JSONNumber(integer: nil, double: -100)),
                ]))
        #expect(parse(#"{"a":{"b":[]},"c":""}"#) == .object(["a": .object(["b": .array([])]), "c": .string("")]))
        #expect(parse("9223372036854775808") == .number(JSONNumber(integer: nil, double: 9_223_372_036_854_775_808)))
        #expect(
            parse("-9223372036854775808") == .number(JSONNumber(integer: Int64.min, double: -9_223_372_036_854_775_808))
        )
    }

    @Test func escapes() {
        #expect(parse(#""\"\\\/\b\f\n\r\t""#) == .string("\"\\/\u{08}\u{0C}\n\r\t"))
        #expect(parse(#""\u0041\u00e9\u20AC\ud83d\ude00""#) == .string("Aé€😀"))
        #expect(parse(#""\u0000""#) == .string("\u{0}"))
        #expect(parse("\"é😀\"") == .string("é😀"))
    }

    @Test(arguments: [
        "", " ", "tru", "nul", "True", "[1,]", "{,}", #"{"a":1,}"#, "[1 2]", #"{"a" 1}"#, #"{a:1}"#, "'a'",
        "01", "-", "1.", ".5", "1e", "1e+", "+1", "0x10", "NaN", "Infinity", "[1]x", "//c\n1", "[", "{",
        #"""#, #""\x""#, #""\u12""#, #""\u12G4""#, #""\ud800""#, #""\udc00""#, #""\ud800\u0041""#,
        #""\ud800x""#, "\"a\u{1}b\"", "\"a\nb\"", #"{"a":1,"a":1}"#,
    ])
    func invalidInputIsRejected(text: String) {
        #expect(parse(text) == nil)
    }

    @Test func invalidUTF8IsRejected() {
        #expect(JSONParser.parse([0x22, 0xFF, 0x22]) == nil)
        #expect(JSONParser.parse([0x22, 0xC3, 0x22]) == nil)  // truncated sequence
        #expect(JSONParser.parse([0x22, 0xED, 0xA0, 0x80, 0x22]) == nil)  // encoded surrogate
        #expect(JSONParser.parse([0x22, 0xC3, 0xA9, 0x22]) == .string("é"))
    }

    @Test func depthLimit() {
        let limit = JSONParser.maxDepth
        #expect(parse(String(repeating: "[", count: limit) + String(repeating: "]", count: limit)) != nil)
        #expect(parse(String(repeating: "[", count: limit + 1) + String(repeating: "]", count: limit + 1)) == nil)
        // Deep enough to overflow the stack of a parser without the limit.
        #expect(parse(String(repeating: "[", count: 100_000)) == nil)
        #expect(
            parse(String(repeating: #"{"a":"#, count: limit + 1) + "1" + String(repeating: "}", count: limit + 1))
                == nil)
    }

    @Test func parseObjectRequiresAnObject() {
        #expect(JSONParser.parseObject(Array(#"{"a":1}"#.utf8)) == ["a": .number(JSONNumber(integer: 1, double: 1))])
        #expect(JSONParser.parseObject(Array("[]".utf8)) == nil)
    }

    @Test func writerOutputParsesBack() {
        var writer = JSONOutput()
        let awkward = "q\"b\\n\n\r\t\u{1}\u{1F}é😀/"
        writer.beginObject()
        writer.member("s", awkward)
        writer.member("i", Int64.min)
        writer.key("a")
        writer.beginArray()
        writer.string("x")
        writer.string(awkward)
        writer.endArray()
        writer.endObject()
        let bytes = writer.bytes
        #expect(
            JSONParser.parse(bytes)
                == .object([
                    "s": .string(awkward), "i": .number(JSONNumber(integer: Int64.min, double: Double(Int64.min))),
                    "a": .array([.string("x"), .string(awkward)]),
                ]))
        #expect(String(decoding: bytes, as: UTF8.self).contains(#"\u0001\u001f"#))
    }
}
