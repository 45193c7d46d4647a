import Testing
@testable import HubbubHTTP

@Suite struct RequestLineTests {
    @Test func parsesSimpleGet() throws {
        let request = try #require(parseOne("GET /chat?room=1&x=2 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: t\r\n\r\n"))
        #expect(request.method == .get)
        #expect(request.method.name == "GET")
        #expect(request.target == "/chat?room=1&x=2")
        #expect(request.path == "/chat")
        #expect(request.query == "room=1&x=2")
        #expect(request.version == .http1_1)
        #expect(request.version.description == "HTTP/1.1")
        #expect(request.headers == ["Host": "example.com", "User-Agent": "t"])
        #expect(request.body == [])
        #expect(request.keepAlive == true)
    }

    @Test(arguments: [
        ("GET", HTTPMethod.get), ("HEAD", .head), ("POST", .post), ("PUT", .put), ("PATCH", .patch),
        ("DELETE", .delete), ("OPTIONS", .options), ("PURGE", .other("PURGE")), ("get", .other("get")),
        ("M-SEARCH", .other("M-SEARCH")),
    ])
    func parsesMethods(name: String, method: HTTPMethod) throws {
        let request = try #require(parseOne(requestHead(method: name)))
        #expect(request.method == method)
        #expect(request.method.name == name)
    }

    @Test func methodEqualityUsesName() {
        #expect(HTTPMethod.other("GET") == .get)
        #expect(HTTPMethod(name: "DELETE") == .delete)
        #expect(HTTPMethod.other("get") != .get)
        #expect(Set([HTTPMethod.other("POST"), .post]).count == 1)
    }

    @Test func acceptsBareLineFeeds() throws {
        let request = try #require(parseOne("POST /a HTTP/1.1\nHost: h\nContent-Length: 2\n\nhi"))
        #expect(request.method == .post)
        #expect(request.path == "/a")
        #expect(request.headers == ["Host": "h", "Content-Length": "2"])
        #expect(request.body == bytes("hi"))
    }

    @Test func acceptsMixedLineEndings() throws {
        let request = try #require(parseOne("GET / HTTP/1.1\nHost: h\r\nA: 1\n\r\n"))
        #expect(request.headers == ["Host": "h", "A": "1"])
    }

    @Test func skipsLeadingEmptyLines() throws {
        let request = try #require(parseOne("\r\n\n\r\nGET /x HTTP/1.1\r\nHost: h\r\n\r\n"))
        #expect(request.target == "/x")
    }

    @Test func boundsLeadingEmptyLines() {
        let limits = HTTPLimits(maxRequestLineLength: 14) // "GET / HTTP/1.1"
        // 7 x CRLF = 14 bytes is allowed, 15 bytes is not.
        #expect(parseError(String(repeating: "\r\n", count: 7) + requestHead(), limits: limits) == nil)
        #expect(parseError(String(repeating: "\r\n", count: 7) + "\n" + requestHead(), limits: limits)
            == .tooManyEmptyLines)
        #expect(HTTPParseError.tooManyEmptyLines.status == .badRequest)
    }

    @Test func loneCarriageReturnBeforeRequestLineIsMalformed() {
        #expect(parseError("\rGET / HTTP/1.1\r\nHost: h\r\n\r\n") == .invalidMethod)
    }

    @Test(arguments: [
        ("GET\r\n", HTTPParseError.malformedRequestLine),
        ("GET /\r\n", .malformedRequestLine),
        ("GET\t/\tHTTP/1.1\r\n", .malformedRequestLine),
        ("\r\n\r\n", nil),
        (" GET / HTTP/1.1\r\n", .invalidMethod),
        ("GE(T / HTTP/1.1\r\n", .invalidMethod),
        ("GET  / HTTP/1.1\r\n", .invalidRequestTarget),
        ("GET /a b HTTP/1.1\r\n", .invalidRequestTarget),
        ("GET /\u{01} HTTP/1.1\r\n", .invalidRequestTarget),
        ("GET /\u{7F} HTTP/1.1\r\n", .invalidRequestTarget),
        ("GET /caf\u{E9} HTTP/1.1\r\n", .invalidRequestTarget),
        ("GET /\r HTTP/1.1\r\n", .invalidRequestTarget),
        ("GET / HTTP/1.1 \r\n", .invalidRequestTarget),
        ("GET / http/1.1\r\n", .malformedVersion),
        ("GET / HTTP/1\r\n", .malformedVersion),
        ("GET / HTTP/11\r\n", .malformedVersion),
        ("GET / HTTP/1.10\r\n", .malformedVersion),
        ("GET / HTTP/1.x\r\n", .malformedVersion),
        ("GET / HTTP/1.1\r\r\n", .malformedVersion),
        ("GET / HTTX/1.1\r\n", .malformedVersion),
        ("GET / HTTP/1.2\r\n", .unsupportedVersion),
        ("GET / HTTP/2.0\r\n", .unsupportedVersion),
        ("GET / HTTP/0.9\r\n", .unsupportedVersion),
        ("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", .unsupportedVersion),
    ] as [(String, HTTPParseError?)])
    func rejectsMalformedRequestLines(line: String, expected: HTTPParseError?) {
        #expect(parseError(line) == expected)
    }

    @Test func errorStatuses() {
        #expect(HTTPParseError.malformedRequestLine.status.code == 400)
        #expect(HTTPParseError.invalidRequestTarget.status.code == 400)
        #expect(HTTPParseError.malformedVersion.status.code == 400)
        #expect(HTTPParseError.unsupportedVersion.status.code == 505)
        #expect(HTTPParseError.unsupportedVersion.description == "505 HTTP Version Not Supported: HTTP version not supported")
    }

    @Test func http10WithoutHost() throws {
        let request = try #require(parseOne("GET /old HTTP/1.0\r\n\r\n"))
        #expect(request.version == .http1_0)
        #expect(request.version.description == "HTTP/1.0")
        #expect(request.headers.count == 0)
    }

    @Test func targetForms() throws {
        let absolute = try #require(parseOne(requestHead("http://example.com:8080/a/b?c=d")))
        #expect(absolute.target == "http://example.com:8080/a/b?c=d")
        #expect(absolute.path == "/a/b")
        #expect(absolute.query == "c=d")

        let bareAuthority = try #require(parseOne(requestHead("HTTPS://example.com?q")))
        #expect(bareAuthority.path == "/")
        #expect(bareAuthority.query == "q")

        let asterisk = try #require(parseOne(requestHead("*", method: "OPTIONS")))
        #expect(asterisk.path == "*")
        #expect(asterisk.query == nil)

        let emptyQuery = try #require(parseOne(requestHead("/p?")))
        #expect(emptyQuery.path == "/p")
        #expect(emptyQuery.query == "")

        let twoMarks = try #require(parseOne(requestHead("/p?a?b")))
        #expect(twoMarks.path == "/p")
        #expect(twoMarks.query == "a?b")

        let encoded = try #require(parseOne(requestHead("/a%20b")))
        #expect(encoded.path == "/a%20b")
    }

    @Test func errorIsSticky() throws {
        var parser = HTTPRequestParser()
        parser.append(bytes("BAD\r\n"))
        #expect(throws: HTTPParseError.malformedRequestLine) { try parser.next() }
        parser.append(bytes(requestHead()))
        #expect(throws: HTTPParseError.malformedRequestLine) { try parser.next() }
        #expect(throws: HTTPParseError.malformedRequestLine) { try parser.next() }
    }

    @Test func needsMoreBytes() throws {
        var parser = HTTPRequestParser()
        #expect(try parser.next() == nil)
        #expect(parser.hasBufferedBytes == false)
        parser.append(bytes("GET / HTTP/1.1\r\nHost: h\r\n"))
        #expect(try parser.next() == nil)
        #expect(parser.hasBufferedBytes == true)
        parser.append(bytes("\r\n"))
        let request = try #require(try parser.next())
        #expect(request.path == "/")
        #expect(parser.hasBufferedBytes == false)
        #expect(try parser.next() == nil)
    }
}
