/// The @mention grammar of comment texts (protocol/README.md section 8.1).
///
/// The text is scanned once, left to right, by Unicode scalar. A mention is an `@`
/// at the start of the text or after a scalar that is neither a letter, mark or
/// digit (general categories L, M, N) nor one of `_ . - + @ /`, followed by the
/// longest run of ASCII letters, digits, `_`, `.` and `-`. A run followed by `@` is
/// an address, not a mention. Trailing `.` and `-` are dropped from the run, and
/// what remains must be a username: 1-32 characters, first and last a letter,
/// digit or `_`. Scanning resumes after the run.
public enum MentionParser {
    /// Candidate usernames in the text, in order of occurrence, as written (protocol/README.md section 8.1 grammar).
    public static func candidates(in text: String) -> [String] {
        let scalars = Array(text.unicodeScalars)
        var found: [String] = []
        var index = 0
        while index < scalars.count {
            guard scalars[index] == "@", index == 0 || mayPrecedeMention(scalars[index - 1]) else {
                index += 1
                continue
            }
            let start = index + 1
            var end = start
            while end < scalars.count, isNameScalar(scalars[end]) { end += 1 }
            index = end
            if end < scalars.count, scalars[end] == "@" { continue }
            var trimmedEnd = end
            while trimmedEnd > start, scalars[trimmedEnd - 1] == "." || scalars[trimmedEnd - 1] == "-" {
                trimmedEnd -= 1
            }
            let name = scalars[start..<trimmedEnd]
            if isUsername(name) {
                var view = String.UnicodeScalarView()
                view.append(contentsOf: name)
                found.append(String(view))
            }
        }
        return found
    }

    /// Resolves candidates against members (case-insensitive ASCII match on username):
    /// each member once, in order of first occurrence, never the author (`authorUserID`),
    /// at most `limit` (50). A member is reported with its own spelling of the username.
    public static func mentions(
        in text: String, members: [MentionCandidateMember], authorUserID: String, limit: Int = 50
    ) -> [MentionCandidateMember] {
        guard limit > 0 else { return [] }
        var byUsername: [String: MentionCandidateMember] = [:]
        for member in members where byUsername[asciiLowercased(member.username)] == nil {
            byUsername[asciiLowercased(member.username)] = member
        }
        var mentioned: [MentionCandidateMember] = []
        var seen: Set<String> = []
        for candidate in candidates(in: text) {
            guard let member = byUsername[asciiLowercased(candidate)], member.userID != authorUserID,
                seen.insert(member.userID).inserted
            else { continue }
            mentioned.append(member)
            if mentioned.count == limit { break }
        }
        return mentioned
    }

    // MARK: Grammar

    /// Whether an `@` right after `scalar` may start a mention (rule 1).
    private static func mayPrecedeMention(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "_", ".", "-", "+", "@", "/": return false
        default: break
        }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber:
            return false
        default:
            return true
        }
    }

    /// ASCII letters, digits, `_`, `.` and `-`: what a run is made of (rule 2).
    private static func isNameScalar(_ scalar: Unicode.Scalar) -> Bool {
        isUsernameEdge(scalar) || scalar == "." || scalar == "-"
    }

    /// ASCII letters, digits and `_`: the allowed first and last characters (rule 3).
    private static func isUsernameEdge(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar {
        case "a"..."z", "A"..."Z", "0"..."9", "_": true
        default: false
        }
    }

    private static func isUsername(_ name: ArraySlice<Unicode.Scalar>) -> Bool {
        guard let first = name.first, let last = name.last, name.count <= 32 else { return false }
        return isUsernameEdge(first) && isUsernameEdge(last)
    }

    /// `text` with ASCII `A`-`Z` mapped to `a`-`z` and every other scalar unchanged.
    static func asciiLowercased(_ text: String) -> String {
        var view = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            if ("A"..."Z").contains(scalar), let lower = Unicode.Scalar(scalar.value + 32) {
                view.append(lower)
            } else {
                view.append(scalar)
            }
        }
        return String(view)
    }
}
