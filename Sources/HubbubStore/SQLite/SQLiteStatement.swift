import CSQLite

/// Owns one prepared statement (`sqlite3_stmt*`) and finalizes it in `deinit`.
///
/// Statements live in their ``SQLiteConnection``'s cache and never leave it; the
/// connection drops them all before it closes the database handle.
final class SQLiteStatement {
    let handle: OpaquePointer

    init(owning handle: OpaquePointer) {
        self.handle = handle
    }

    deinit {
        sqlite3_finalize(handle)
    }

    /// Binds `values` to parameters 1...n; returns the first failing result code, or
    /// `SQLITE_OK`.
    func bind(_ values: [SQLiteValue]) -> Int32 {
        for (offset, value) in values.enumerated() {
            let index = Int32(offset + 1)
            let rc: Int32
            switch value {
            case .int(let v):
                rc = sqlite3_bind_int64(handle, index, v)
            case .null:
                rc = sqlite3_bind_null(handle, index)
            case .text(var s):
                rc = s.withUTF8 { utf8 in
                    guard let base = utf8.baseAddress, utf8.count > 0 else {
                        return sqlite3_bind_text(handle, index, "", 0, SQLiteStatement.transient)
                    }
                    return base.withMemoryRebound(to: CChar.self, capacity: utf8.count) {
                        sqlite3_bind_text(handle, index, $0, Int32(utf8.count), SQLiteStatement.transient)
                    }
                }
            }
            if rc != SQLITE_OK { return rc }
        }
        return SQLITE_OK
    }

    /// Makes the statement ready for its next use: ends the current run and unbinds.
    func reset() {
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
    }

    /// `SQLITE_TRANSIENT` (the C macro is a cast of -1 to a function pointer, which Swift
    /// does not import): SQLite copies the bound bytes before `bind` returns, so Swift's
    /// temporary buffer may go away afterwards.
    private static var transient: sqlite3_destructor_type {
        unsafeBitCast(-1 as Int, to: sqlite3_destructor_type.self)
    }
}
