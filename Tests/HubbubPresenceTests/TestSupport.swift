import HubbubPresence
import Testing

let ms: UInt64 = 1_000_000
let seconds: UInt64 = 1_000_000_000

extension PresenceRoom {
    /// Joins and returns the snapshot, recording an issue if the join was refused.
    @discardableResult
    mutating func join(
        _ userID: String,
        _ connID: String,
        state: PresenceValue = .emptyObject,
        name: String? = nil,
        joinedAt: Int64 = 0,
        at now: UInt64,
        sourceLocation: SourceLocation = #_sourceLocation
    ) -> PresenceSnapshot? {
        let result = join(
            userID: userID, name: name ?? userID.capitalized, connID: connID, state: state, joinedAt: joinedAt,
            now: now
        )
        guard case .joined(let snapshot) = result else {
            Issue.record("join refused: \(result)", sourceLocation: sourceLocation)
            return nil
        }
        return snapshot
    }
}

extension PresenceRoom {
    /// Flushes, recording an issue and throwing if there was no diff.
    mutating func flushDiff(now: UInt64, sourceLocation: SourceLocation = #_sourceLocation) throws -> PresenceDiff {
        let diff = flush(now: now)
        return try #require(diff, "no diff at \(now)", sourceLocation: sourceLocation)
    }
}

extension String {
    var capitalized: String { prefix(1).uppercased() + dropFirst() }
}

extension PresenceDiff {
    /// The changes of a full-mode diff, nil otherwise.
    var changes: PresenceChanges? {
        if case .full(let changes) = self { return changes }
        return nil
    }
}

extension PresenceChanges {
    var joinedIDs: [String] { joins.map(\.userID) }
    var leftIDs: [String] { leaves.map(\.userID) }
    var updatedIDs: [String] { updates.map(\.userID) }
}

extension PresenceEntry {
    var connIDs: [String] { metas.map(\.connID) }
}

/// SplitMix64: a small, seedable generator, so a failing sequence can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func below(_ bound: UInt64) -> UInt64 { next(upperBound: bound) }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
