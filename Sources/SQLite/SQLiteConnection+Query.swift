import CSQLite

/// One-shot statements for small tables (the service's outbox): bind values, read rows in a
/// callback, and transactions. The state store's hot paths keep their prepared `Statement`s.
extension SQLiteConnection {
    /// A value to bind.
    public enum Value {
        /// An integer.
        case int(Int64)
        /// Text.
        case text(String)
    }

    /// Runs `body` inside BEGIN IMMEDIATE … COMMIT (rolled back when it throws).
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try exec("BEGIN IMMEDIATE")
        do {
            let r = try body()
            try exec("COMMIT")
            return r
        } catch {
            try? exec("ROLLBACK")
            throw error
        }
    }

    /// Runs one statement with bound values; calls `row` for each result row (the statement is
    /// only valid inside the call).
    public func query(_ sql: String, _ values: [Value] = [], row: ((Statement) throws -> Void)? = nil) throws {
        let stmt = try prepare(sql)
        for (i, v) in values.enumerated() {
            switch v {
            case .int(let n): stmt.bind(Int32(i + 1), n)
            case .text(let s): stmt.bind(Int32(i + 1), s)
            }
        }
        while try stmt.step() { try row?(stmt) }
    }
}
