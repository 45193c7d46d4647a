import CLibPQ
import Glibc

/// The rows of one successful statement, owning its `PGresult` (cleared on deinit).
/// Values are in libpq's text format. Never leaves the connection's thread.
final class PostgresResult {
    private let result: OpaquePointer

    /// Takes ownership of `result`.
    init(owning result: OpaquePointer) {
        self.result = result
    }

    deinit {
        PQclear(result)
    }

    var rowCount: Int { Int(PQntuples(result)) }

    var columnCount: Int { Int(PQnfields(result)) }

    /// The command tag, e.g. `INSERT 0 1` or `COMMIT`.
    var commandStatus: String { String(cString: PQcmdStatus(result)) }

    /// Rows changed by an INSERT, UPDATE or DELETE.
    var affectedRows: Int { Int(String(cString: PQcmdTuples(result))) ?? 0 }

    func isNull(_ row: Int, _ column: Int) -> Bool {
        PQgetisnull(result, Int32(row), Int32(column)) == 1
    }

    func text(_ row: Int, _ column: Int) -> String {
        String(cString: PQgetvalue(result, Int32(row), Int32(column)))
    }

    func int64(_ row: Int, _ column: Int) -> Int64 {
        strtoll(PQgetvalue(result, Int32(row), Int32(column)), nil, 10)
    }

    func int(_ row: Int, _ column: Int) -> Int {
        Int(int64(row, column))
    }

    func bool(_ row: Int, _ column: Int) -> Bool {
        PQgetvalue(result, Int32(row), Int32(column)).pointee == CChar(UInt8(ascii: "t"))
    }

    /// Decodes every row with `decode(result, row)`.
    func rows<T>(_ decode: (PostgresResult, Int) -> T) -> [T] {
        (0..<rowCount).map { decode(self, $0) }
    }

    /// The first row decoded, `nil` if there is none.
    func first<T>(_ decode: (PostgresResult, Int) -> T) -> T? {
        rowCount > 0 ? decode(self, 0) : nil
    }
}
