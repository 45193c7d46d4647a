/// Interpretation of Content-Length field values (RFC 9112 section 6.3, RFC 9110 8.6).
enum ContentLength {
    /// The body length declared by `values` (every Content-Length field value), nil if
    /// there is none. Each value may be a comma-separated list; every element must be
    /// one or more digits and all elements must be equal. A number too large for `Int`
    /// is returned as `Int.max`, which exceeds any body limit.
    static func parse(_ values: [String]) throws(HTTPParseError) -> Int? {
        var result: Int?
        for value in values {
            for element in value.utf8.split(separator: ASCII.comma, omittingEmptySubsequences: false) {
                let length = try parseDigits(ASCII.trimmingWhitespace(element))
                if let result, result != length { throw .conflictingContentLength }
                result = length
            }
        }
        return result
    }

    private static func parseDigits(_ digits: Substring.UTF8View) throws(HTTPParseError) -> Int {
        guard !digits.isEmpty else { throw .invalidContentLength }
        var value = 0
        var overflowed = false
        for byte in digits {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { throw .invalidContentLength }
            let (times10, o1) = value.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times10.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
            if o1 || o2 { overflowed = true }
            value = sum
        }
        return overflowed ? Int.max : value
    }
}
