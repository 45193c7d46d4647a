extension HTTPRequest {
    /// The percent-decoded value of the first query parameter named `name`, or nil if the
    /// query has no such parameter.
    ///
    /// Parameters are separated by `&`; names and values are percent-decoded with `+` read
    /// as a space before comparison. A parameter without `=` has the value `""`. A `%` not
    /// followed by two hex digits is kept literally; decoded bytes that are not valid
    /// UTF-8 become U+FFFD.
    public func queryItem(_ name: String) -> String? {
        guard let query else { return nil }
        for item in query.utf8.split(separator: UInt8(ascii: "&"), omittingEmptySubsequences: true) {
            let equals = item.firstIndex(of: UInt8(ascii: "=")) ?? item.endIndex
            guard PercentDecoding.decode(item[..<equals]) == name else { continue }
            if equals == item.endIndex { return "" }
            return PercentDecoding.decode(item[item.index(after: equals)...])
        }
        return nil
    }
}
