import CSQLite

extension StoreError {
    /// Maps an SQLite result code (primary or extended) to a ``StoreError``.
    static func sqlite(_ rc: Int32, _ message: String) -> StoreError {
        let text = "\(message) (sqlite \(rc))"
        switch rc & 0xFF {
        case SQLITE_BUSY, SQLITE_LOCKED:
            return StoreError(code: .busy, message: text)
        case SQLITE_IOERR, SQLITE_CANTOPEN, SQLITE_PROTOCOL, SQLITE_NOLFS, SQLITE_NOMEM, SQLITE_READONLY,
            SQLITE_PERM:
            return StoreError(code: .unavailable, message: text)
        case SQLITE_FULL:
            return StoreError(code: .diskFull, message: text)
        case SQLITE_CORRUPT, SQLITE_NOTADB:
            return StoreError(code: .corrupt, message: text)
        case SQLITE_CONSTRAINT:
            return StoreError(code: .constraint, message: text)
        default:
            return StoreError(code: .internal, message: text)
        }
    }
}
