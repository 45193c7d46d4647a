/// A JSON value (RFC 8259) as the token parser produces it.
enum JSONValue: Equatable, Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])
}

/// A JSON number, kept both as an exact integer (when it is one) and as a double.
struct JSONNumber: Equatable, Sendable {
    /// The value when the literal has no fraction or exponent and fits in `Int64`.
    var integer: Int64?
    /// The value as the nearest double; infinite when the literal overflows.
    var double: Double
}
