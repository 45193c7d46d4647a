import Testing
@testable import HubbubHTTP

@Suite struct PipeliningTests {
    @Test func returnsPipelinedRequestsOneAtATime() throws {
        let input = "GET /one HTTP/1.1\r\nHost: h\r\n\r\n"
            + "POST /two HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc"
            + "DELETE /three HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n"
        var parser = HTTPRequestParser()
        parser.append(bytes(input))
        let first = try #require(try parser.next())
        #expect(first.method == .get)
        #expect(first.path == "/one")
        #expect(parser.hasBufferedBytes == true)
        let second = try #require(try parser.next())
        #expect(second.method == .post)
        #expect(second.body == bytes("abc"))
        let third = try #require(try parser.next())
        #expect(third.method == .delete)
        #expect(third.keepAlive == false)
        #expect(try parser.next() == nil)
        #expect(parser.hasBufferedBytes == false)

        let outcome = parse(input)
        #expect(outcome.requests.map(\.path) == ["/one", "/two", "/three"])
        #expect(outcome.error == nil)
        #expect(outcome.unparsed == [])
    }

    @Test func extraLineBreakAfterBodyIsSkipped() {
        let input = "POST /a HTTP/1.1\r\nHost: h\r\nContent-Length: 2\r\n\r\nhi\r\nGET /b HTTP/1.1\r\nHost: h\r\n\r\n"
        let outcome = parse(input)
        #expect(outcome.requests.map(\.path) == ["/a", "/b"])
        #expect(outcome.requests.first?.body == bytes("hi"))
        #expect(outcome.unparsed == [])
    }

    @Test func errorAfterValidRequests() {
        let outcome = parse("GET /ok HTTP/1.1\r\nHost: h\r\n\r\nGET /bad HTTP/9.9\r\n\r\n")
        #expect(outcome.requests.map(\.path) == ["/ok"])
        #expect(outcome.error == .unsupportedVersion)
    }

    @Test func incompleteSecondRequestStaysUnparsed() {
        let partial = "GET /b HTTP/1.1\r\nHo"
        let outcome = parse("GET /a HTTP/1.1\r\nHost: h\r\n\r\n" + partial)
        #expect(outcome.requests.map(\.path) == ["/a"])
        #expect(outcome.unparsed == bytes(partial))
    }

    /// A WebSocket client may send frames right behind its upgrade request.
    @Test func framesAfterUpgradeRequestAreUnparsed() throws {
        let upgrade = bytes(
            "GET /ws HTTP/1.1\r\nHost: h\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
        // A masked text frame "Hello" (RFC 6455 section 5.7), the mask containing LF and CR.
        let frame: [UInt8] = [0x81, 0x85, 0x0A, 0x0D, 0x20, 0x47, 0x42, 0x68, 0x4C, 0x2B, 0x65]
        let input = upgrade + frame
        for split in 0...input.count {
            var parser = HTTPRequestParser()
            parser.append(Array(input[..<split]))
            var request = try parser.next()
            parser.append(Array(input[split...]))
            if request == nil { request = try parser.next() }
            #expect(request?.path == "/ws", "split \(split)")
            #expect(request.map(WebSocketUpgrade.isUpgradeRequest) == true)
            #expect(parser.hasBufferedBytes == true)
            #expect(parser.takeUnparsedBytes() == frame, "split \(split)")
            #expect(parser.hasBufferedBytes == false)
            #expect(parser.takeUnparsedBytes() == [])
        }
    }

    @Test func takeUnparsedBytesMidRequestRestartsCleanly() throws {
        var parser = HTTPRequestParser()
        parser.append(bytes("GET /a HTTP/1.1\r\nHost: h\r\nX-Partial: 1"))
        #expect(try parser.next() == nil)
        #expect(parser.takeUnparsedBytes() == bytes("GET /a HTTP/1.1\r\nHost: h\r\nX-Partial: 1"))
        parser.append(bytes("PUT /b HTTP/1.1\r\nHost: h\r\n\r\n"))
        let request = try #require(try parser.next())
        #expect(request.method == .put)
        #expect(request.path == "/b")
        #expect(request.headers == ["Host": "h"])
    }
}
