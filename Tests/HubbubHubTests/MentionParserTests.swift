import Foundation
import Testing

@testable import HubbubHub

/// The mention grammar (protocol/README.md section 8) and comment excerpts.
@Suite struct MentionParserTests {
    static let members = [
        MentionCandidateMember(userID: "u_alice", username: "alice"),
        MentionCandidateMember(userID: "u_bob", username: "bob"),
        MentionCandidateMember(userID: "u_carol", username: "carol.chen"),
        MentionCandidateMember(userID: "u_dan", username: "dan-d"),
    ]
    static let author = "u_dan"

    /// One row of the README's example table: a text and the usernames it mentions.
    struct Row: Sendable {
        var text: String
        var mentions: [String]
    }

    /// The rows between `<!-- mention-examples -->` and `<!-- /mention-examples -->`.
    static func readmeRows() throws -> [Row] {
        let readme = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("protocol/README.md")
        let text = try String(contentsOf: readme, encoding: .utf8)
        guard let start = text.range(of: "<!-- mention-examples -->"),
            let end = text.range(of: "<!-- /mention-examples -->", range: start.upperBound..<text.endIndex)
        else { return [] }
        return text[start.upperBound..<end.lowerBound].split(separator: "\n").compactMap { line in
            // | `text` | mentions |
            guard line.hasPrefix("| `"), let separator = line.range(of: "` | ", options: .backwards) else { return nil }
            let written = line[line.index(line.startIndex, offsetBy: 3)..<separator.lowerBound]
            let rest = line[separator.upperBound...].trimmingCharacters(in: CharacterSet(charactersIn: "| "))
            let names = rest == "none" ? [] : rest.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            return Row(text: String(written), mentions: names)
        }
    }

    @Test func everyReadmeExampleHolds() throws {
        let rows = try Self.readmeRows()
        #expect(rows.count >= 25)
        for row in rows {
            let found = MentionParser.mentions(in: row.text, members: Self.members, authorUserID: Self.author)
            #expect(found.map(\.username) == row.mentions, "\(row.text)")
        }
    }

    @Test func candidatesAreAsWritten() {
        #expect(MentionParser.candidates(in: "@Alice and @BOB.") == ["Alice", "BOB"])
        #expect(MentionParser.candidates(in: "@bob_ @al @x.y-z-.-") == ["bob_", "al", "x.y-z"])
        #expect(MentionParser.candidates(in: "@.alice @-bob @_ok_") == ["_ok_"])
        #expect(MentionParser.candidates(in: "@alice@x @bob") == ["bob"])
        #expect(MentionParser.candidates(in: "") == [])
        #expect(MentionParser.candidates(in: "@") == [])
        #expect(MentionParser.candidates(in: "@...") == [])
        #expect(MentionParser.candidates(in: "a+@b _@c -@d .@e /@f @@g") == [])
        #expect(MentionParser.candidates(in: "\n@a\t@b (@c) 😀@d ,@e") == ["a", "b", "c", "d", "e"])
        // A letter, mark or digit of any script before the @ blocks it.
        #expect(MentionParser.candidates(in: "日@a e\u{301}@b ٣@c Ⅻ@d") == [])
        // Scanning resumes after the run: the second @ here is inside a name run.
        #expect(MentionParser.candidates(in: "@a.b-@c") == [])
    }

    @Test func usernamesAreOneToThirtyTwoCharacters() {
        let name32 = String(repeating: "a", count: 32)
        #expect(MentionParser.candidates(in: "@\(name32)") == [name32])
        #expect(MentionParser.candidates(in: "@\(name32)b") == [])
        #expect(MentionParser.candidates(in: "@\(name32)...") == [name32])
    }

    @Test func mentionsAreDedupedCaseInsensitivelyWithTheMembersSpelling() {
        let members = [
            MentionCandidateMember(userID: "u_a", username: "Alice"),
            MentionCandidateMember(userID: "u_b", username: "bob"),
        ]
        let found = MentionParser.mentions(in: "@bob @alice @ALICE @Bob @aLiCe", members: members, authorUserID: "u_x")
        #expect(found == [members[1], members[0]])
    }

    @Test func theAuthorIsNeverMentioned() {
        let found = MentionParser.mentions(in: "@dan-d @DAN-D @bob", members: Self.members, authorUserID: "u_dan")
        #expect(found.map(\.userID) == ["u_bob"])
    }

    @Test func atMostFiftyMembers() {
        let members = (0..<60).map { MentionCandidateMember(userID: "u\($0)", username: "user\($0)") }
        let text = (0..<60).map { "@user\($0)" }.joined(separator: " ")
        let found = MentionParser.mentions(in: text, members: members, authorUserID: "u0")
        #expect(found.count == 50)
        #expect(found == Array(members[1...50]))
        let two = MentionParser.mentions(in: text, members: members, authorUserID: "u0", limit: 2)
        #expect(two == [members[1], members[2]])
        #expect(MentionParser.mentions(in: text, members: members, authorUserID: "u0", limit: 0).isEmpty)
        // Repeats do not use up the cap.
        let repeated = String(repeating: "@user1 ", count: 100) + text
        #expect(MentionParser.mentions(in: repeated, members: members, authorUserID: "u0").count == 50)
    }

    // MARK: Excerpt

    @Test func shortTextsAreUnchanged() {
        #expect(Excerpt.make("") == "")
        #expect(Excerpt.make("@bob can you double-check?") == "@bob can you double-check?")
        let exactly200 = String(repeating: "x", count: 200)
        #expect(Excerpt.make(exactly200) == exactly200)
    }

    @Test func longTextsAreCutAtTwoHundredCodePoints() {
        let text = String(repeating: "x", count: 199) + "yz"
        #expect(Excerpt.make(text) == String(repeating: "x", count: 199) + "y\u{2026}")
        #expect(Excerpt.make("abcdef", limit: 3) == "abc…")
        #expect(Excerpt.make("abc", limit: 0) == "…")
        #expect(Excerpt.make("abc", limit: -1) == "…")
    }

    @Test func cutsCountScalarsNotCharacters() {
        let family = "👨\u{200D}👩\u{200D}👧"  // one character, five scalars
        let forty = String(repeating: family, count: 40)
        #expect(Array(Excerpt.make(forty).unicodeScalars) == Array(forty.unicodeScalars))
        let fortyOne = forty + family
        let cut = Excerpt.make(fortyOne)
        #expect(Array(cut.unicodeScalars) == Array(forty.unicodeScalars) + ["\u{2026}"])
        // A letter and its combining mark are two scalars; the cut may fall between them.
        let accents = String(repeating: "x", count: 199) + "e\u{301}"
        #expect(Array(Excerpt.make(accents).unicodeScalars) == Array((String(repeating: "x", count: 199) + "e…").unicodeScalars))
        let marks = String(repeating: "e\u{301}", count: 101)
        #expect(Excerpt.make(marks).unicodeScalars.count == 201)
        #expect(Excerpt.make(marks).unicodeScalars.last == "\u{2026}")
    }
}
