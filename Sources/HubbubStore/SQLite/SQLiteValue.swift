/// A value bound to a statement parameter.
enum SQLiteValue {
    case int(Int64)
    case text(String)
    case null

    static func int(_ value: Int) -> SQLiteValue { .int(Int64(value)) }
}
