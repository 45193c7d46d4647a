import Testing
@testable import HubbubHTTP

@Suite struct LimitsTests {
    @Test func defaults() {
        let limits = HTTPLimits()
        #expect(limits.maxRequestLineLength == 8192)
        #expect(limits.maxHeaderCount == 100)
        #expect(limits.maxHeaderBytes == 16384)
        #expect(limits.maxBodySize == 1_048_576)
    }

    @Test func unboundedLimitsDoNotOverflow() throws {
        let limits = HTTPLimits(maxRequestLineLength: .max, maxHeaderCount: .max, maxHeaderBytes: .max, maxBodySize: .max)
        let request = try #require(parseOne(
            "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc", limits: limits))
        #expect(request.body == bytes("abc"))
        let huge = parse("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999999999999\r\n\r\nabc", limits: limits)
        #expect(huge.requests == [])
        #expect(huge.error == nil)
    }

    @Test func requestLineLimitIsInclusive() {
        let line = "GET /0123456789 HTTP/1.1" // 24 bytes
        #expect(line.utf8.count == 24)
        let request = "\(line)\r\nHost: h\r\n\r\n"
        #expect(parseError(request, limits: HTTPLimits(maxRequestLineLength: 24)) == nil)
        #expect(parseError(request, limits: HTTPLimits(maxRequestLineLength: 23)) == .requestLineTooLong)
        #expect(parseError("\(line)\nHost: h\n\n", limits: HTTPLimits(maxRequestLineLength: 24)) == nil)
        #expect(HTTPParseError.requestLineTooLong.status == .uriTooLong)
    }

    @Test func trickledRequestLineFailsBeforeLineEnd() {
        let limits = HTTPLimits(maxRequestLineLength: 100)
        let endless = bytes("GET /" + String(repeating: "a", count: 1000))
        #expect(failurePoint(endless, limits: limits) == 101)
        #expect(parseError(endless, limits: limits) == .requestLineTooLong)

        // 100 content bytes and a CR may still be a valid line; a 101st content byte may not.
        let padded = bytes("GET /" + String(repeating: "a", count: 95) + "\r")
        #expect(padded.count == 101)
        #expect(failurePoint(padded, limits: limits) == nil)
        #expect(failurePoint(padded + [0x41], limits: limits) == 102)
        #expect(failurePoint(padded + bytes("\n"), limits: limits) == 102) // malformed, but not too long
        #expect(parseError(padded + bytes("\n"), limits: limits) == .malformedRequestLine)
    }

    @Test func headerCountLimit() {
        let limits = HTTPLimits(maxHeaderCount: 3)
        #expect(parseError(requestHead(extra: "A: 1\r\nB: 2\r\n"), limits: limits) == nil)
        #expect(parseError(requestHead(extra: "A: 1\r\nB: 2\r\nC: 3\r\n"), limits: limits) == .tooManyHeaders)
        #expect(HTTPParseError.tooManyHeaders.status.code == 431)
        #expect(parseError(requestHead(), limits: HTTPLimits(maxHeaderCount: 0)) == .tooManyHeaders)
    }

    @Test func headerBytesLimitIsInclusive() {
        // "Host: h\r\n" (9) + "A: 12345\r\n" (10) + "\r\n" (2) = 21 bytes.
        let request = "GET / HTTP/1.1\r\nHost: h\r\nA: 12345\r\n\r\n"
        #expect(parseError(request, limits: HTTPLimits(maxHeaderBytes: 21)) == nil)
        #expect(parseError(request, limits: HTTPLimits(maxHeaderBytes: 20)) == .headerSectionTooLarge)
        #expect(parseError(request, limits: HTTPLimits(maxHeaderBytes: 19)) == .headerSectionTooLarge)
        #expect(parseError(request, limits: HTTPLimits(maxHeaderBytes: 18)) == .headerSectionTooLarge)
        // Bare LF counts one byte per terminator: 8 + 9 + 1 = 18.
        let bareLF = "GET / HTTP/1.1\nHost: h\nA: 12345\n\n"
        #expect(parseError(bareLF, limits: HTTPLimits(maxHeaderBytes: 18)) == nil)
        #expect(parseError(bareLF, limits: HTTPLimits(maxHeaderBytes: 17)) == .headerSectionTooLarge)
        #expect(HTTPParseError.headerSectionTooLarge.status == .requestHeaderFieldsTooLarge)
    }

    @Test func trickledHeaderLineFailsBeforeLineEnd() {
        let limits = HTTPLimits(maxHeaderBytes: 200)
        let requestLine = bytes("GET / HTTP/1.1\r\n")
        let endless = requestLine + bytes("X-Slow: " + String(repeating: "z", count: 10_000))
        // 200 bytes of one unterminated line cannot fit with the LF still to come.
        #expect(failurePoint(endless, limits: limits) == requestLine.count + 200)
        #expect(parseError(endless, limits: limits) == .headerSectionTooLarge)
    }

    @Test func trickledManyHeaderLinesFailAtTheLimit() {
        let limits = HTTPLimits(maxHeaderCount: 1000, maxHeaderBytes: 100)
        let requestLine = bytes("GET / HTTP/1.1\r\n")
        let lines = bytes(String(repeating: "A: 1234567\r\n", count: 20)) // 12 bytes each
        // After 8 lines (96 bytes) 4 bytes are left; the 4th byte of line 9 exceeds them.
        #expect(failurePoint(requestLine + lines, limits: limits) == requestLine.count + 96 + 4)
        #expect(parseError(requestLine + lines, limits: limits) == .headerSectionTooLarge)
    }

    @Test func slowlorisDoesNotGrowTheBuffer() throws {
        let limits = HTTPLimits(maxRequestLineLength: 64, maxHeaderBytes: 256)
        var parser = HTTPRequestParser(limits: limits)
        parser.append(bytes("GET / HTTP/1.1\r\nHost: h\r\nX-Slow: "))
        var thrown: HTTPParseError?
        for _ in 0..<10_000 {
            parser.append([UInt8(ascii: "z")])
            do {
                _ = try parser.next()
            } catch {
                thrown = error
                break
            }
        }
        #expect(thrown == .headerSectionTooLarge)
        let stored = parser.storedByteCount
        #expect(stored <= 64 + 2 + 256)
        for _ in 0..<1000 { parser.append([UInt8(ascii: "z")]) }
        #expect(parser.storedByteCount == stored)
        #expect(throws: HTTPParseError.headerSectionTooLarge) { try parser.next() }
    }

    @Test func byteAtATimeScanningIsLinear() throws {
        let limits = HTTPLimits(maxRequestLineLength: 100_000, maxHeaderBytes: 100_000)
        let input = bytes(
            "GET /" + String(repeating: "p", count: 30_000) + " HTTP/1.1\r\nHost: h\r\nX-Big: "
                + String(repeating: "v", count: 30_000) + "\r\n\r\n")
        var parser = HTTPRequestParser(limits: limits)
        var requests = 0
        for byte in input {
            parser.append([byte])
            while try parser.next() != nil { requests += 1 }
        }
        #expect(requests == 1)
        #expect(parser.scannedByteCount <= input.count)
    }

    @Test func pipelinedTrickleKeepsTheBufferSmall() throws {
        let one = bytes("GET /ping HTTP/1.1\r\nHost: h\r\n\r\n")
        let input = Array(repeatElement(one, count: 500).joined())
        var parser = HTTPRequestParser()
        var requests = 0
        var largest = 0
        var index = 0
        while index < input.count {
            let end = min(index + 7, input.count)
            parser.append(Array(input[index..<end]))
            index = end
            while try parser.next() != nil { requests += 1 }
            largest = max(largest, parser.storedByteCount)
        }
        #expect(requests == 500)
        #expect(largest <= 2 * one.count + 7)
        #expect(parser.hasBufferedBytes == false)
    }
}
