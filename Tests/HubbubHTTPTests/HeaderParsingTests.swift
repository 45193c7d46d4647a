import Testing
@testable import HubbubHTTP

@Suite struct HeaderParsingTests {
    @Test func keepsOrderDuplicatesAndTrimsWhitespace() throws {
        let request = try #require(parseOne(
            "GET / HTTP/1.1\r\nHost: h\r\nX-A:   one two \t\r\nx-a:two\r\nEmpty:\r\nSpaces:   \r\nTab:\ta\tb\t\r\n\r\n"))
        #expect(request.headers.count == 6)
        #expect(Array(request.headers.map(\.name)) == ["Host", "X-A", "x-a", "Empty", "Spaces", "Tab"])
        #expect(Array(request.headers.map(\.value)) == ["h", "one two", "two", "", "", "a\tb"])
        #expect(request.headers["X-A"] == "one two")
        #expect(request.headers["x-A"] == "one two")
        #expect(request.headers.values(for: "X-a") == ["one two", "two"])
    }

    @Test func acceptsObsText() throws {
        let request = try #require(parseOne(requestHead(extra: "X-Name: caf\u{E9}\r\n")))
        #expect(request.headers["X-Name"] == "caf\u{E9}")
    }

    @Test(arguments: [
        ("Host : h\r\n", HTTPParseError.invalidHeaderName),
        ("Host\t: h\r\n", .invalidHeaderName),
        ("NoColon\r\n", .invalidHeaderName),
        (": value\r\n", .invalidHeaderName),
        ("X(y): z\r\n", .invalidHeaderName),
        ("X\u{E9}: z\r\n", .invalidHeaderName),
        ("X-A: a\r\n b\r\n", .obsoleteLineFolding),
        ("X-A: a\r\n\tb\r\n", .obsoleteLineFolding),
        (" X-A: a\r\n", .obsoleteLineFolding),
        ("X-A: a\u{01}b\r\n", .invalidHeaderValue),
        ("X-A: a\u{00}b\r\n", .invalidHeaderValue),
        ("X-A: a\u{7F}\r\n", .invalidHeaderValue),
        ("X-A: a\u{1B}[0m\r\n", .invalidHeaderValue),
        ("X-A: a\rb\r\n", .invalidHeaderValue),
        ("X-A: a\r\r\n", .invalidHeaderValue),
    ] as [(String, HTTPParseError)])
    func rejectsMalformedFields(line: String, expected: HTTPParseError) {
        #expect(parseError("GET / HTTP/1.1\r\nHost: h\r\n" + line + "\r\n") == expected)
        #expect(expected.status == .badRequest)
    }

    @Test func firstFieldLineMayNotStartWithWhitespace() {
        #expect(parseError("GET / HTTP/1.1\r\n Host: h\r\n\r\n") == .obsoleteLineFolding)
    }

    @Test func hostRules() {
        #expect(parseError("GET / HTTP/1.1\r\nX: y\r\n\r\n") == .missingHost)
        #expect(parseError("GET / HTTP/1.1\r\nHost: a\r\nhost: a\r\n\r\n") == .multipleHost)
        #expect(parseError("GET / HTTP/1.0\r\nHost: a\r\nHost: b\r\n\r\n") == .multipleHost)
        #expect(parseError("GET / HTTP/1.0\r\nHost: a\r\n\r\n") == nil)
        #expect(HTTPParseError.missingHost.status.code == 400)
    }

    @Test func keepAliveDefaults() throws {
        func keepAlive(_ version: String, _ connection: String?) throws -> Bool {
            let field = connection.map { "Connection: \($0)\r\n" } ?? ""
            let request = try #require(parseOne("GET / HTTP/\(version)\r\nHost: h\r\n\(field)\r\n"))
            return request.keepAlive
        }
        #expect(try keepAlive("1.1", nil) == true)
        #expect(try keepAlive("1.1", "close") == false)
        #expect(try keepAlive("1.1", "Keep-Alive, CLOSE") == false)
        #expect(try keepAlive("1.1", "Upgrade") == true)
        #expect(try keepAlive("1.0", nil) == false)
        #expect(try keepAlive("1.0", "keep-alive") == true)
        #expect(try keepAlive("1.0", "Keep-Alive") == true)
        #expect(try keepAlive("1.0", "keep-alive, close") == false)
        #expect(try keepAlive("1.0", "keep-alives") == false)
    }

    @Test func requestInitDerivesFields() {
        let request = HTTPRequest(method: .post, target: "/x?y=1", version: .http1_0, headers: ["Connection": "keep-alive"])
        #expect(request.path == "/x")
        #expect(request.query == "y=1")
        #expect(request.keepAlive == true)
        #expect(request.body == [])
    }
}
