import Testing
@testable import HubbubHTTP

@Suite struct QueryTests {
    private func request(_ target: String) -> HTTPRequest {
        HTTPRequest(method: .get, target: target, headers: ["Host": "h"])
    }

    @Test func decodesItems() {
        let r = request("/p?a=1&b=hello+world&c=%41%42&d&e=&f=%zz&g=%E2%82%AC&h=%4&a=2&&i=x=y&j=%2B%26%3D")
        #expect(r.queryItem("a") == "1")
        #expect(r.queryItem("b") == "hello world")
        #expect(r.queryItem("c") == "AB")
        #expect(r.queryItem("d") == "")
        #expect(r.queryItem("e") == "")
        #expect(r.queryItem("f") == "%zz")
        #expect(r.queryItem("g") == "\u{20AC}")
        #expect(r.queryItem("h") == "%4")
        #expect(r.queryItem("i") == "x=y")
        #expect(r.queryItem("j") == "+&=")
        #expect(r.queryItem("missing") == nil)
        #expect(r.queryItem("A") == nil)
    }

    @Test func decodesNames() {
        let r = request("/p?room%20id=7&my+name=x")
        #expect(r.queryItem("room id") == "7")
        #expect(r.queryItem("my name") == "x")
        #expect(r.queryItem("room%20id") == nil)
    }

    @Test func invalidUTF8BecomesReplacementCharacter() {
        #expect(request("/p?x=%FF").queryItem("x") == "\u{FFFD}")
    }

    @Test func noQuery() {
        #expect(request("/p").queryItem("a") == nil)
        #expect(request("/p?").queryItem("a") == nil)
        #expect(request("/p?").query == "")
    }

    @Test func parsedRequestQuery() throws {
        let parsed = try #require(parseOne(requestHead("/ws?token=a%2Fb&room=lobby")))
        #expect(parsed.queryItem("token") == "a/b")
        #expect(parsed.queryItem("room") == "lobby")
    }
}
