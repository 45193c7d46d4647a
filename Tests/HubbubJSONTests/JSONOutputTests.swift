import Testing

@testable import HubbubJSON

@Suite struct JSONOutputTests {
    @Test func nestedStructureGetsCommasRight() {
        var out = JSONOutput()
        out.beginObject()
        out.member("type", "ack")
        out.key("result")
        out.beginObject()
        out.key("list")
        out.beginArray()
        out.int(1)
        out.string("a\"b")
        out.beginObject()
        out.endObject()
        out.endArray()
        out.member("ok", true)
        out.key("none")
        out.null()
        out.endObject()
        out.key("raw")
        out.raw(#"{"x":1}"#)
        out.endObject()
        #expect(String(decoding: out.bytes, as: UTF8.self)
            == #"{"type":"ack","result":{"list":[1,"a\"b",{}],"ok":true,"none":null},"raw":{"x":1}}"#)
    }

    @Test func controlCharactersAreEscaped() {
        var out = JSONOutput()
        out.string("a\n\u{01}\u{08}\t")
        #expect(String(decoding: out.bytes, as: UTF8.self) == #""a\n\u0001\b\t""#)
    }

    @Test func valuesRoundTripThroughTheParser() {
        let text = #"{"b":[1,2.5,"x",null,true],"a":{"c":-3}}"#
        let value = JSONParser.parse(Array(text.utf8))!
        #expect(String(decoding: value.compactBytes, as: UTF8.self) == #"{"a":{"c":-3},"b":[1,2.5,"x",null,true]}"#)
        #expect(JSONParser.parse(value.compactBytes) == value)
    }
}
