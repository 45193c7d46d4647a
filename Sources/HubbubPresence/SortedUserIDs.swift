/// A set of user ids kept sorted (Swift `String` order, which agrees with `String` equality
/// and is byte order for ASCII), for paging by cursor.
struct SortedUserIDs: Sendable {
    private(set) var ids: [String] = []

    var count: Int { ids.count }

    /// The index of the first id not less than `id`.
    func lowerBound(_ id: String) -> Int {
        var low = 0
        var high = ids.count
        while low < high {
            let middle = (low + high) / 2
            if ids[middle] < id { low = middle + 1 } else { high = middle }
        }
        return low
    }

    /// The index of the first id greater than `cursor`.
    func index(after cursor: String) -> Int {
        let index = lowerBound(cursor)
        return index < ids.count && ids[index] == cursor ? index + 1 : index
    }

    mutating func insert(_ id: String) {
        let index = lowerBound(id)
        if index == ids.count || ids[index] != id { ids.insert(id, at: index) }
    }

    mutating func remove(_ id: String) {
        let index = lowerBound(id)
        if index < ids.count, ids[index] == id { ids.remove(at: index) }
    }
}
