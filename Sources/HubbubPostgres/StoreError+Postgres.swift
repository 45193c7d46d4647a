import HubbubStore

extension StoreError {
    /// Maps a PostgreSQL error (its SQLSTATE, see the "PostgreSQL Error Codes" appendix)
    /// to a ``StoreError``. `message` is the server's primary message, which names
    /// objects (constraints, types) but not values.
    static func postgres(sqlState: String, message: String) -> StoreError {
        let text = "\(message) (SQLSTATE \(sqlState))"
        let code: Code
        switch sqlState {
        case "57P01", "57P02", "57P03":  // admin_shutdown, crash_shutdown, cannot_connect_now
            code = .unavailable
        case "53100":  // disk_full
            code = .diskFull
        case "40001", "40P01", "55P03", "57014":  // serialization, deadlock, lock_not_available, query_canceled
            code = .busy
        case "XX001", "XX002":  // data_corrupted, index_corrupted
            code = .corrupt
        case "42P01", "42703", "42883":  // undefined_table, undefined_column, undefined_function
            code = .schemaMismatch
        default:
            switch sqlState.prefix(2) {
            case "08", "53", "58":  // connection exception, insufficient resources, system (I/O) error
                code = .unavailable
            case "23":  // integrity constraint violation
                code = .constraint
            default:
                code = .internal
            }
        }
        return StoreError(code: code, message: text)
    }

    /// The connection to the server is gone (or never came up).
    static func connectionLost(_ message: String) -> StoreError {
        StoreError(code: .unavailable, message: "PostgreSQL connection: \(message)")
    }
}
