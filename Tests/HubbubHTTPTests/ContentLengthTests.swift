import Testing
@testable import HubbubHTTP

@Suite struct ContentLengthTests {
    private func post(_ contentLength: String, body: String = "") -> String {
        "POST /p HTTP/1.1\r\nHost: h\r\nContent-Length: \(contentLength)\r\n\r\n\(body)"
    }

    @Test func readsBody() throws {
        let request = try #require(parseOne(post("5", body: "hello")))
        #expect(request.body == bytes("hello"))
    }

    @Test func zeroLengthAndLeadingZeros() throws {
        #expect(try #require(parseOne(post("0"))).body == [])
        #expect(try #require(parseOne(post("005", body: "12345"))).body == bytes("12345"))
    }

    @Test func bodyMayContainAnyBytes() throws {
        let body = "\r\n\0\r\nGET / HTTP/1.1\r\n"
        let request = try #require(parseOne(post(String(body.utf8.count), body: body)))
        #expect(request.body == bytes(body))
    }

    @Test func waitsForWholeBody() throws {
        let outcome = parse(post("10", body: "12345"))
        #expect(outcome.requests == [])
        #expect(outcome.error == nil)
        #expect(outcome.unparsed == bytes(post("10", body: "12345")))
    }

    @Test(arguments: ["+5", "-1", "5a", "0x5", "", "5 5", "1.0", "5,", ",5", "\u{0663}"])
    func rejectsInvalidValues(value: String) {
        #expect(parseError(post(value, body: "12345")) == .invalidContentLength)
    }

    @Test func acceptsEqualDuplicates() throws {
        let twoFields = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\ncontent-length: 3\r\n\r\nabc"
        #expect(try #require(parseOne(twoFields)).body == bytes("abc"))
        #expect(try #require(parseOne(post("3, 3 ,03", body: "abc"))).body == bytes("abc"))
    }

    @Test func rejectsDifferingDuplicates() {
        let twoFields = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd"
        #expect(parseError(twoFields) == .conflictingContentLength)
        #expect(parseError(post("3, 4", body: "abcd")) == .conflictingContentLength)
        #expect(parseError(post("99999999999999999999999, 3", body: "abc")) == .conflictingContentLength)
        #expect(HTTPParseError.conflictingContentLength.status.code == 400)
    }

    @Test func hugeValuesAreTooLarge() {
        #expect(parseError(post("99999999999999999999999999999999")) == .bodyTooLarge)
        #expect(parseError(post(String(Int.max))) == .bodyTooLarge)
        #expect(parseError(post("9223372036854775808")) == .bodyTooLarge)
        #expect(HTTPParseError.bodyTooLarge.status.code == 413)
    }

    @Test func bodyLimitIsCheckedBeforeTheBody() {
        let limits = HTTPLimits(maxBodySize: 10)
        #expect(parseError(post("10", body: "0123456789"), limits: limits) == nil)
        #expect(parseError(post("11"), limits: limits) == .bodyTooLarge)
        // Fails the moment the header section is complete, with no body byte sent.
        let head = bytes(post("11"))
        #expect(failurePoint(head, limits: limits) == head.count)
    }

    @Test func transferEncodingIsNotSupported() {
        let chunked = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n"
        #expect(parseError(chunked) == .transferEncodingNotSupported)
        #expect(HTTPParseError.transferEncodingNotSupported.status.code == 501)

        let both = "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\nhello"
        #expect(parseError(both) == .transferEncodingWithContentLength)
        let bothReversed = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\ntransfer-encoding: identity\r\n\r\nhello"
        #expect(parseError(bothReversed) == .transferEncodingWithContentLength)
        #expect(HTTPParseError.transferEncodingWithContentLength.status.code == 400)
    }
}
