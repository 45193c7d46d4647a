import Testing
@testable import HubbubHTTP

@Suite struct HTTPHeadersTests {
    @Test func addAndLookup() {
        var headers = HTTPHeaders()
        #expect(headers.isEmpty)
        #expect(headers["X"] == nil)
        headers.add(name: "Set-Cookie", value: "a=1")
        headers.add(name: "Content-Type", value: "text/plain")
        headers.add(name: "set-cookie", value: "b=2")
        #expect(headers.count == 3)
        #expect(headers["SET-COOKIE"] == "a=1")
        #expect(headers.values(for: "Set-Cookie") == ["a=1", "b=2"])
        #expect(headers.values(for: "Missing") == [])
        #expect(headers.contains(name: "content-type"))
        #expect(!headers.contains(name: "content"))
        #expect(headers.map(\.name) == ["Set-Cookie", "Content-Type", "set-cookie"])
    }

    @Test func replaceOrAdd() {
        var headers: HTTPHeaders = ["A": "1", "B": "2", "a": "3", "C": "4"]
        headers.replaceOrAdd(name: "A", value: "new")
        #expect(headers == HTTPHeaders([("A", "new"), ("B", "2"), ("C", "4")]))
        headers.replaceOrAdd(name: "D", value: "5")
        #expect(headers.map(\.name) == ["A", "B", "C", "D"])
        #expect(headers["d"] == "5")
    }

    @Test func remove() {
        var headers: HTTPHeaders = ["A": "1", "B": "2", "a": "3"]
        headers.remove(name: "a")
        #expect(headers == ["B": "2"])
    }

    @Test func containsToken() {
        let headers: HTTPHeaders = ["Connection": "keep-alive,  Upgrade\t", "connection": "x", "Upgrade": "websockets"]
        #expect(headers.containsToken("upgrade", in: "Connection"))
        #expect(headers.containsToken("KEEP-ALIVE", in: "connection"))
        #expect(headers.containsToken("x", in: "Connection"))
        #expect(!headers.containsToken("close", in: "Connection"))
        #expect(!headers.containsToken("keep", in: "Connection"))
        #expect(!headers.containsToken("websocket", in: "Upgrade"))
        #expect(!headers.containsToken("upgrade", in: "Missing"))
        let empty: HTTPHeaders = ["Connection": " , ,"]
        #expect(!empty.containsToken("", in: "Connection"))
    }

    @Test func equalityIgnoresNameCaseButNotOrderOrValues() {
        #expect(HTTPHeaders([("Host", "a")]) == ["host": "a"])
        #expect(HTTPHeaders([("Host", "a")]) != ["Host": "A"])
        #expect(HTTPHeaders([("A", "1"), ("B", "2")]) != HTTPHeaders([("B", "2"), ("A", "1")]))
        #expect(HTTPHeaders([("A", "1")]) != HTTPHeaders([("A", "1"), ("A", "1")]))
    }

    @Test func description() {
        let headers: HTTPHeaders = ["A": "1", "B": "2"]
        #expect(headers.description == "A: 1\nB: 2")
    }

    @Test func statusEqualityUsesCode() {
        #expect(HTTPStatus(code: 200, reasonPhrase: "Fine") == .ok)
        #expect(HTTPStatus.notFound.description == "404 Not Found")
        let codes = [
            HTTPStatus.switchingProtocols, .ok, .noContent, .badRequest, .unauthorized, .forbidden, .notFound,
            .methodNotAllowed, .requestTimeout, .conflict, .payloadTooLarge, .uriTooLong, .unprocessableContent,
            .upgradeRequired, .tooManyRequests, .requestHeaderFieldsTooLarge, .internalServerError,
            .notImplemented, .serviceUnavailable, .httpVersionNotSupported,
        ].map(\.code)
        #expect(codes == [101, 200, 204, 400, 401, 403, 404, 405, 408, 409, 413, 414, 422, 426, 429, 431, 500, 501, 503, 505])
    }
}
