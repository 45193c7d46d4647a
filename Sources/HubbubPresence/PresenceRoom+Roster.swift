extension PresenceRoom {
    /// One page of the published users, in user id order, in either mode.
    ///
    /// Paging is stable under concurrent changes: the cursor is a position in the user id
    /// order, not an index, so a user present from the first page to the last is listed
    /// exactly once, whoever joins or leaves in between; a user who joins or leaves meanwhile
    /// is listed at most once.
    ///
    /// - Parameters:
    ///   - cursor: `nil` for the first page, else the previous page's ``RosterPage/nextCursor``.
    ///   - limit: users per page; values below 1 count as 1.
    public func roster(after cursor: String?, limit: Int) -> RosterPage {
        let ids = publishedOrder.ids
        let start = cursor.map { publishedOrder.index(after: $0) } ?? 0
        let end = start + min(max(limit, 1), ids.count - start)
        let entries = ids[start..<end].compactMap { published[$0] }
        let nextCursor = end < ids.count ? ids[end - 1] : nil
        return RosterPage(entries: entries, nextCursor: nextCursor, counts: publishedCounts)
    }
}
