import HubbubStore

/// A statement parameter, sent in libpq's text format (the server infers or the SQL
/// casts its type).
enum PostgresValue: Sendable, Hashable {
    case text(String)
    case int(Int64)
    /// A `text[]`, sent as an array literal (`{"a","b"}`).
    case textArray([String])
    /// A `bigint[]`, sent as an array literal (`{1,2}`).
    case intArray([Int64])
    case null

    static func int(_ value: Int) -> PostgresValue { .int(Int64(value)) }

    /// The text the server parses, or `nil` for SQL NULL. PostgreSQL's text cannot hold
    /// NUL characters (and a C string would silently stop at one), so a string with
    /// one is refused with ``StoreError/Code/invalidArgument``.
    func encoded() throws(StoreError) -> String? {
        switch self {
        case .text(let s):
            try Self.refuseNUL(s)
            return s
        case .int(let n):
            return String(n)
        case .textArray(let strings):
            var literal = "{"
            for (index, s) in strings.enumerated() {
                try Self.refuseNUL(s)
                if index > 0 { literal += "," }
                literal += "\""
                for character in s.unicodeScalars {
                    if character == "\"" || character == "\\" { literal += "\\" }
                    literal.unicodeScalars.append(character)
                }
                literal += "\""
            }
            return literal + "}"
        case .intArray(let numbers):
            return "{" + numbers.map(String.init).joined(separator: ",") + "}"
        case .null:
            return nil
        }
    }

    private static func refuseNUL(_ s: String) throws(StoreError) {
        if s.utf8.contains(0) {
            throw StoreError(code: .invalidArgument, message: "PostgreSQL text cannot contain NUL characters")
        }
    }
}

/// Calls `body` with the values as the `const char *const *` libpq takes, valid only
/// during the call.
func withCStrings<R>(
    _ values: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>?) throws(StoreError) -> R
) throws(StoreError) -> R {
    // One buffer for all the strings, NUL-terminated each, and the pointers into it.
    var storage: [CChar] = []
    storage.reserveCapacity(values.reduce(0) { $0 + ($1?.utf8.count ?? 0) + 1 })
    var offsets: [Int?] = []
    offsets.reserveCapacity(values.count)
    for value in values {
        guard let value else {
            offsets.append(nil)
            continue
        }
        offsets.append(storage.count)
        for byte in value.utf8 { storage.append(CChar(bitPattern: byte)) }
        storage.append(0)
    }
    return try storage.withUnsafeBufferPointer { (buffer) throws(StoreError) -> R in
        let pointers: [UnsafePointer<CChar>?] = offsets.map { offset in
            offset.map { buffer.baseAddress! + $0 }
        }
        return try pointers.withUnsafeBufferPointer { (array) throws(StoreError) -> R in
            try body(array.baseAddress)
        }
    }
}
