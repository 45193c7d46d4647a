import HubbubPresence
import Testing

@Suite struct PresenceValueTests {
    @Test func encodesCompactJSONWithSortedKeys() {
        let value: PresenceValue = ["viewing_card": "12", "b": [1, 2.5, true, nil], "a": ["z": false, "y": [:]]]
        #expect(value.jsonText == #"{"a":{"y":{},"z":false},"b":[1,2.5,true,null],"viewing_card":"12"}"#)
        #expect(value.jsonByteCount == value.jsonText.utf8.count)
        #expect(value.description == value.jsonText)
        #expect(PresenceValue.emptyObject.jsonText == "{}")
        #expect(PresenceValue.array([]).jsonText == "[]")
    }

    @Test func keyOrderDoesNotMatter() {
        let a = PresenceValue.object(["x": 1, "y": 2, "z": 3])
        var members: [String: PresenceValue] = [:]
        for key in ["z", "y", "x"] { members[key] = a[key] }
        let b = PresenceValue.object(members)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a.jsonText == b.jsonText)
        #expect(a != ["x": 1, "y": 2, "z": 4])
        #expect(a["y"] == 2)
        #expect(a["w"] == nil)
        #expect(PresenceValue.string("x")["y"] == nil)
    }

    @Test(arguments: [
        (PresenceValue.number(12), "12"),
        (.number(-3), "-3"),
        (.number(0), "0"),
        (.number(-0.0), "0"),
        (.number(0.5), "0.5"),
        (.number(0.1), "0.1"),
        (.number(1e300), "1e+300"),
        (.number(9_007_199_254_740_991), "9007199254740991"),
        (.number(.nan), "null"),
        (.number(.infinity), "null"),
    ])
    func encodesNumbers(value: PresenceValue, text: String) {
        #expect(value.jsonText == text)
    }

    @Test func escapesOnlyWhatJSONRequires() {
        let value = PresenceValue.string("a\"b\\c\nd\te\u{01}f\u{1F}/é😀")
        #expect(value.jsonText == #""a\"b\\c\nd\te\u0001f\u001f/é😀""#)
        // 2 quotes, 7 plain ASCII characters, 4 two-byte escapes, 2 six-byte escapes, é (2), 😀 (4).
        #expect(value.jsonByteCount == 2 + 7 + 4 * 2 + 2 * 6 + 2 + 4)
        #expect(PresenceValue.string("\u{08}\u{0C}\r").jsonText == #""\b\f\r""#)
        #expect(PresenceValue.object(["k\"": 1]).jsonText == #"{"k\"":1}"#)
    }

    @Test func byteCountCountsUTF8() {
        #expect(PresenceValue.string("é").jsonByteCount == 4)
        #expect(PresenceValue.string("").jsonByteCount == 2)
        #expect(PresenceValue.null.jsonByteCount == 4)
        let card: PresenceValue = ["viewing_card": "12"]
        #expect(card.jsonByteCount == 21)
    }
}
