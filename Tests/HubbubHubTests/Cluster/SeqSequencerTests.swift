import Testing

@testable import HubbubHub

/// Other nodes' events put back in seq order (docs/architecture.md, "Across nodes").
@Suite struct SeqSequencerTests {
    private func seqs(_ offer: SeqSequencer<String>.Offer) -> [Int64]? {
        guard case .ready(let ready) = offer else { return nil }
        return ready.map(\.seq)
    }

    @Test func inOrderEventsGoAtOnce() {
        var sequencer = SeqSequencer<String>(delivered: 4)
        #expect(seqs(sequencer.offer(seq: 5, "e5")) == [5])
        #expect(seqs(sequencer.offer(seq: 6, "e6")) == [6])
        #expect(sequencer.delivered == 6)
        #expect(!sequencer.isHolding)
    }

    @Test func aGapHoldsLaterEventsUntilItIsFilled() {
        var sequencer = SeqSequencer<String>(delivered: 0)
        guard case .held = sequencer.offer(seq: 3, "e3"), case .held = sequencer.offer(seq: 5, "e5") else {
            Issue.record("expected held")
            return
        }
        #expect(sequencer.missing == 1...2)
        #expect(seqs(sequencer.offer(seq: 1, "e1")) == [1])
        #expect(sequencer.missing == 2...2)
        #expect(seqs(sequencer.offer(seq: 2, "e2")) == [2, 3])  // 3 was waiting for 2
        #expect(sequencer.missing == 4...4)
        #expect(seqs(sequencer.offer(seq: 4, "e4")) == [4, 5])
        #expect(!sequencer.isHolding && sequencer.missing == nil)
    }

    @Test func duplicatesAreDropped() {
        var sequencer = SeqSequencer<String>(delivered: 10)
        guard case .duplicate = sequencer.offer(seq: 10, "again"), case .duplicate = sequencer.offer(seq: 3, "old") else {
            Issue.record("expected duplicates")
            return
        }
        _ = sequencer.offer(seq: 12, "e12")
        guard case .duplicate = sequencer.offer(seq: 12, "e12 again") else {
            Issue.record("a held seq offered twice is a duplicate")
            return
        }
    }

    @Test func anotherPathDeliveringReleasesWhatItUnblocks() {
        var sequencer = SeqSequencer<String>(delivered: 0)
        _ = sequencer.offer(seq: 2, "e2")
        _ = sequencer.offer(seq: 3, "e3")
        _ = sequencer.offer(seq: 6, "e6")
        // Seq 1 came from this node's own commit (or the store): 2 and 3 may go now.
        #expect(sequencer.delivered(upTo: 1).map(\.seq) == [2, 3])
        // The store delivered through 6: the held 6 is a duplicate of it, nothing is left.
        #expect(sequencer.delivered(upTo: 6).isEmpty)
        #expect(!sequencer.isHolding && sequencer.delivered == 6)
    }

    @Test func overfullWhenTooManyAreHeld() {
        var sequencer = SeqSequencer<Int>(delivered: 0, maxHeld: 2)
        for seq in 2...3 { _ = sequencer.offer(seq: Int64(seq), seq) }
        #expect(!sequencer.isOverfull)
        _ = sequencer.offer(seq: 4, 4)
        #expect(sequencer.isOverfull)
    }
}
