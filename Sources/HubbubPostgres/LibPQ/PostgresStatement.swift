/// One SQL statement with its parameters (`$1`, `$2`, ...), as sent in a pipeline.
struct PostgresStatement: Sendable {
    let sql: String
    let parameters: [PostgresValue]

    init(_ sql: String, _ parameters: [PostgresValue] = []) {
        self.sql = sql
        self.parameters = parameters
    }
}
