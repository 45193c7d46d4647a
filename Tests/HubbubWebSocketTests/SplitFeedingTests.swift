import HubbubWebSocket
import Testing

/// The actions must not depend on how the bytes are cut into reads.
@Suite("Split feeding")
struct SplitFeedingTests {
    @Test("split at every byte boundary", arguments: ScenarioCorpus.all)
    func everyBoundary(_ scenario: Scenario) {
        let whole = scenario.runWhole()
        check(whole, scenario.expected, role: scenario.role)
        for index in 0...scenario.input.count {
            let split = scenario.run(splitAt: index)
            #expect(split == whole, "split at \(index)")
            if split != whole { break }
        }
    }

    @Test("one byte at a time", arguments: ScenarioCorpus.all)
    func bytewise(_ scenario: Scenario) {
        #expect(scenario.runBytewise() == scenario.runWhole())
    }

    @Test("random cuts into several pieces", arguments: ScenarioCorpus.all)
    func randomPieces(_ scenario: Scenario) {
        let whole = scenario.runWhole()
        var random = SeededGenerator(state: UInt64(scenario.input.count))
        for _ in 0..<20 {
            var cuts = (0..<4).map { _ in Int.random(in: 0...scenario.input.count, using: &random) }.sorted()
            cuts = [0] + cuts + [scenario.input.count]
            let pieces = zip(cuts, cuts.dropFirst()).map { scenario.input[$0..<$1] }
            #expect(scenario.run(pieces) == whole, "cuts \(cuts)")
        }
    }

    @Test("the decoder yields the same frames and error however the bytes are cut", arguments: ScenarioCorpus.all)
    func decoder(_ scenario: Scenario) {
        let whole = decode(scenario, pieces: [scenario.input[...]])
        for index in 0...scenario.input.count {
            let split = decode(scenario, pieces: [scenario.input[..<index], scenario.input[index...]])
            #expect(split == whole, "split at \(index)")
            if split != whole { break }
        }
        #expect(decode(scenario, pieces: scenario.input.indices.map { scenario.input[$0...$0] }) == whole)
    }

    @Test("a 64-bit-length frame (70 000 bytes) split around the header and one byte at a time")
    func largeFrame() {
        let payload = ScenarioCorpus.bytes(70_000)
        let scenario = Scenario(name: "large", input: Wire.binary(payload), expected: .actions([.deliver(.binary(payload))]))
        let whole = scenario.runWhole()
        expectEqual(whole, [.deliver(.binary(payload))])
        for index in Array(0...20) + [1000, 4097, 69_999, 70_013, 70_014] {
            expectEqual(scenario.run(splitAt: index), whole, "split at \(index)")
        }
        expectEqual(scenario.runBytewise(), whole)
    }

    private struct Decoded: Equatable {
        var frames: [WebSocketFrame] = []
        var error: WebSocketProtocolError?
    }

    private func decode(_ scenario: Scenario, pieces: [ArraySlice<UInt8>]) -> Decoded {
        var decoder = WebSocketFrameDecoder(role: scenario.role, maxFrameSize: scenario.limits.maxFrameSize)
        var result = Decoded()
        for piece in pieces {
            piece.withUnsafeBytes { decoder.append($0) }
            do {
                while let frame = try decoder.next() { result.frames.append(frame) }
            } catch {
                result.error = error
                return result
            }
        }
        return result
    }
}
