/// The `excerpt` of a comment in a `mention` notification (protocol/README.md section 4,
/// `mention`): the first code points of the text, and `…` when it was cut.
public enum Excerpt {
    /// The ellipsis appended to a cut excerpt (U+2026).
    public static let ellipsis: Unicode.Scalar = "\u{2026}"

    /// The first `limit` (200) Unicode scalars (code points) of `text`, then "…" (U+2026)
    /// if anything was cut; `text` unchanged when it has at most `limit` scalars. The cut
    /// counts scalars, not characters, so it may split a grapheme cluster (an emoji
    /// sequence, a letter and its combining marks). A negative limit counts as 0.
    public static func make(_ text: String, limit: Int = 200) -> String {
        let limit = max(0, limit)
        let scalars = text.unicodeScalars
        guard let cut = scalars.index(scalars.startIndex, offsetBy: limit, limitedBy: scalars.endIndex),
            cut != scalars.endIndex
        else { return text }
        var view = String.UnicodeScalarView(scalars[..<cut])
        view.append(ellipsis)
        return String(view)
    }
}
