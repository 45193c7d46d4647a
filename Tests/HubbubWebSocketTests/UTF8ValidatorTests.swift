import HubbubWebSocket
import Testing

@Suite("UTF-8 validator")
struct UTF8ValidatorTests {
    /// Feeds `bytes` in one piece: whether it was accepted and ends on a boundary.
    private func validate(_ bytes: [UInt8]) -> Bool {
        var validator = UTF8Validator()
        return bytes.withUnsafeBytes { validator.feed($0) } && validator.isAtCharacterBoundary
    }

    private func feed(_ validator: inout UTF8Validator, _ bytes: [UInt8]) -> Bool {
        bytes.withUnsafeBytes { validator.feed($0) }
    }

    private func reference(_ bytes: [UInt8]) -> Bool {
        String(validating: bytes, as: UTF8.self) != nil
    }

    @Test(
        "valid text",
        arguments: [
            [UInt8](), [UInt8]("plain ASCII, long enough for the word-at-a-time path"),
            [UInt8]("κόσμε"), [UInt8]("日本語テキスト"), [UInt8]("emoji 😀🎉 mixed"), ScenarioCorpus.utf8EdgeCases,
        ]
    )
    func valid(_ bytes: [UInt8]) {
        #expect(validate(bytes))
        #expect(reference(bytes))
    }

    @Test("invalid sequences are rejected", arguments: ScenarioCorpus.invalidUTF8)
    func invalid(_ sequence: [UInt8]) {
        #expect(!validate(sequence))
        #expect(!validate([UInt8]("0123456789abcdef") + sequence + [UInt8]("0123456789abcdef")))
        #expect(!reference(sequence))
    }

    @Test("overlongs, surrogates and values above U+10FFFF fail at the byte that proves them")
    func failsAtTheFirstImpossibleByte() {
        let cases: [(prefix: [UInt8], culprit: UInt8)] = [
            ([], 0xC0), ([], 0xC1), ([0xE0], 0x80), ([0xE0], 0x9F), ([0xED], 0xA0), ([0xF0], 0x8F),
            ([0xF4], 0x90), ([], 0xF5), ([0xCE], 0x41), ([0xE2, 0x82], 0xC0),
        ]
        for (prefix, culprit) in cases {
            var validator = UTF8Validator()
            #expect(feed(&validator, prefix), "prefix \(prefix) alone is fine")
            #expect(!feed(&validator, [culprit]), "\(prefix) + \(culprit)")
            #expect(!feed(&validator, [UInt8]("a")), "failure sticks")
            #expect(!validator.isAtCharacterBoundary)
            validator.reset()
            #expect(feed(&validator, [UInt8]("a")) && validator.isAtCharacterBoundary)
        }
    }

    @Test("a code point split across feeds (Autobahn 6.4.x fragments)")
    func acrossFeeds() {
        var validator = UTF8Validator()
        #expect(feed(&validator, [0xCE, 0xBA, 0xE1, 0xBD, 0xB9, 0xCF, 0x83, 0xCE, 0xBC, 0xCE, 0xB5, 0xF4]))
        #expect(!validator.isAtCharacterBoundary)
        #expect(!feed(&validator, [0x90, 0x80, 0x80]))

        validator.reset()
        #expect(feed(&validator, [0xF0, 0x9F]))
        #expect(!validator.isAtCharacterBoundary)
        #expect(feed(&validator, [0x98]))
        #expect(!validator.isAtCharacterBoundary)
        #expect(feed(&validator, [0x80]))
        #expect(validator.isAtCharacterBoundary)
        #expect(feed(&validator, []))
        #expect(validator.isAtCharacterBoundary)
    }

    @Test("a bad byte at every position of long ASCII runs is found (fast path edges)")
    func badByteInAsciiRun() {
        for length in [7, 8, 9, 15, 16, 17, 31, 40] {
            for position in 0..<length {
                var bytes = [UInt8](repeating: 0x61, count: length)
                bytes[position] = 0x80
                #expect(!validate(bytes), "length \(length) position \(position)")
                bytes[position] = 0xC3
                #expect(!validate(bytes), "lead byte then ASCII, or truncated")
                if position + 1 < length {
                    bytes[position + 1] = 0xA9  // "é"
                    #expect(validate(bytes), "valid é at \(position)")
                }
            }
        }
    }

    @Test("agrees with the standard library on every one- and two-byte sequence")
    func exhaustiveTwoBytes() {
        var mismatches = 0
        for first in 0...255 {
            for second in 0...255 {
                let bytes: [UInt8] = [UInt8(first), UInt8(second)]
                if validate(bytes) != reference(bytes) { mismatches += 1 }
            }
            if validate([UInt8(first)]) != reference([UInt8(first)]) { mismatches += 1 }
        }
        #expect(mismatches == 0)
    }

    @Test("agrees with the standard library on three- and four-byte sequences around every boundary")
    func exhaustiveLonger() {
        let interesting: [UInt8] = [0x00, 0x41, 0x7F, 0x80, 0x8F, 0x90, 0x9F, 0xA0, 0xBF, 0xC0, 0xC2, 0xE0, 0xF0, 0xF4, 0xFF]
        var mismatches: [[UInt8]] = []
        for first: UInt8 in 0xC0...0xFF {
            for second in interesting {
                for third in interesting {
                    let three = [first, second, third]
                    if validate(three) != reference(three) { mismatches.append(three) }
                    for fourth in interesting {
                        let four = three + [fourth]
                        if validate(four) != reference(four) { mismatches.append(four) }
                    }
                }
            }
        }
        #expect(mismatches.isEmpty)
    }

    @Test("agrees with the standard library on random text, fed whole and split at every point")
    func randomText() {
        var random = SeededGenerator(state: 42)
        let alphabet: [UInt8] = [0x41, 0x7F, 0x80, 0xBF, 0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xA0, 0x90, 0x8F, 0x9F]
        let pieces: [[UInt8]] = [[UInt8]("ascii text "), [0xC3, 0xA9], [0xE2, 0x82, 0xAC], [0xF0, 0x9F, 0x98, 0x80]]
        for round in 0..<2000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int.random(in: 1...8, using: &random) {
                if round % 2 == 0, Bool.random(using: &random) {
                    bytes += alphabet.randomElement(using: &random).map { [$0] } ?? []
                } else {
                    bytes += pieces.randomElement(using: &random) ?? []
                }
            }
            let expected = reference(bytes)
            #expect(validate(bytes) == expected, "\(bytes)")
            for split in 0...bytes.count {
                var validator = UTF8Validator()
                let ok =
                    bytes[..<split].withUnsafeBytes { validator.feed($0) }
                    && bytes[split...].withUnsafeBytes { validator.feed($0) } && validator.isAtCharacterBoundary
                #expect(ok == expected, "\(bytes) split at \(split)")
            }
        }
    }
}
