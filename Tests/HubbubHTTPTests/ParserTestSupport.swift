import Testing
@testable import HubbubHTTP

/// The UTF-8 bytes of `text`.
func bytes(_ text: String) -> [UInt8] {
    Array(text.utf8)
}

/// Everything a parser produced from some input.
struct ParseOutcome: Equatable, CustomStringConvertible {
    var requests: [HTTPRequest]
    var error: HTTPParseError?
    /// `takeUnparsedBytes()` at the end; nil after an error (bytes appended after a
    /// failure are dropped, so that depends on the split).
    var unparsed: [UInt8]?

    var description: String {
        "requests: \(requests.map { "\($0.method) \($0.target) body=\($0.body.count)" }), "
            + "error: \(error.map(String.init(describing:)) ?? "none"), unparsed: \(unparsed?.count ?? -1)"
    }
}

/// Feeds `chunks` one after another, calling `next()` until nil after each.
func feed(_ chunks: [[UInt8]], limits: HTTPLimits, rawPointers: Bool = false) -> ParseOutcome {
    var parser = HTTPRequestParser(limits: limits)
    var requests: [HTTPRequest] = []
    for chunk in chunks {
        if rawPointers {
            chunk.withUnsafeBytes { parser.append($0) }
        } else {
            parser.append(chunk)
        }
        do {
            while let request = try parser.next() { requests.append(request) }
        } catch {
            return ParseOutcome(requests: requests, error: error, unparsed: nil)
        }
    }
    return ParseOutcome(requests: requests, error: nil, unparsed: parser.takeUnparsedBytes())
}

/// Parses `input` in one piece, split in two at every byte boundary, and one byte at a
/// time; records an issue unless every way gives the same outcome, which it returns.
@discardableResult
func parse(
    _ input: [UInt8],
    limits: HTTPLimits = .init(),
    sourceLocation: SourceLocation = #_sourceLocation
) -> ParseOutcome {
    let whole = feed([input], limits: limits)
    for split in 0...input.count {
        let outcome = feed([Array(input[..<split]), Array(input[split...])], limits: limits)
        if outcome != whole {
            Issue.record("split at \(split): \(outcome) but whole: \(whole)", sourceLocation: sourceLocation)
            break
        }
    }
    let trickled = feed(input.map { [$0] }, limits: limits, rawPointers: true)
    #expect(trickled == whole, "one byte at a time", sourceLocation: sourceLocation)
    return whole
}

@discardableResult
func parse(
    _ text: String,
    limits: HTTPLimits = .init(),
    sourceLocation: SourceLocation = #_sourceLocation
) -> ParseOutcome {
    parse(bytes(text), limits: limits, sourceLocation: sourceLocation)
}

/// The single request in `text` (checked for every split); records an issue otherwise.
func parseOne(
    _ text: String,
    limits: HTTPLimits = .init(),
    sourceLocation: SourceLocation = #_sourceLocation
) -> HTTPRequest? {
    let outcome = parse(bytes(text), limits: limits, sourceLocation: sourceLocation)
    #expect(outcome.error == nil, sourceLocation: sourceLocation)
    #expect(outcome.requests.count == 1, sourceLocation: sourceLocation)
    #expect(outcome.unparsed == [], sourceLocation: sourceLocation)
    return outcome.requests.first
}

/// The error `input` fails with (checked for every split), nil if it does not fail.
func parseError(
    _ input: [UInt8],
    limits: HTTPLimits = .init(),
    sourceLocation: SourceLocation = #_sourceLocation
) -> HTTPParseError? {
    parse(input, limits: limits, sourceLocation: sourceLocation).error
}

func parseError(
    _ text: String,
    limits: HTTPLimits = .init(),
    sourceLocation: SourceLocation = #_sourceLocation
) -> HTTPParseError? {
    parseError(bytes(text), limits: limits, sourceLocation: sourceLocation)
}

/// How many bytes, appended one at a time, it takes for `next()` to throw; nil if
/// feeding all of `input` never throws.
func failurePoint(_ input: [UInt8], limits: HTTPLimits) -> Int? {
    var parser = HTTPRequestParser(limits: limits)
    for (index, byte) in input.enumerated() {
        parser.append([byte])
        do {
            while try parser.next() != nil {}
        } catch {
            return index + 1
        }
    }
    return nil
}

/// A minimal valid HTTP/1.1 request head for `target` with extra header lines.
func requestHead(_ target: String = "/", method: String = "GET", extra: String = "") -> String {
    "\(method) \(target) HTTP/1.1\r\nHost: example.com\r\n\(extra)\r\n"
}
