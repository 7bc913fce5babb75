import CSQLite

/// A small SQLite connection for the service's own tables (outbox, sink
/// marks) in the state file. StateStore keeps its connection private, so the
/// service opens a second one on the same WAL database; writes of the two
/// serialise through SQLite's lock (busy timeout 5 s).
final class SQLiteDB {
    private var db: OpaquePointer?
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    /// A failed SQLite call, with SQLite's message.
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    init(path: String) throws(Failure) {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        guard sqlite3_open_v2(path, &handle, flags, nil) == SQLITE_OK, let handle else {
            let msg = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            throw Failure(message: "cannot open \(path): \(msg)")
        }
        db = handle
        sqlite3_busy_timeout(handle, 5000)
        try exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
    }

    deinit { close() }

    func close() {
        if let db { sqlite3_close_v2(db) }
        db = nil
    }

    func exec(_ sql: String) throws(Failure) {
        var err: UnsafeMutablePointer<CChar>?
        if sqlite3_exec(db, sql, nil, nil, &err) != SQLITE_OK {
            let msg = err.map { String(cString: $0) } ?? "error"
            sqlite3_free(err)
            throw Failure(message: msg)
        }
    }

    /// Runs `body` inside BEGIN IMMEDIATE … COMMIT (rolled back when it throws).
    func transaction<T>(_ body: () throws -> T) throws -> T {
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

    /// Runs a statement with bound values; calls `row` for each result row.
    func query(_ sql: String, _ values: [SQLValue] = [], row: ((Row) throws -> Void)? = nil) throws {
        var stmt: OpaquePointer?
        guard sqlite3_prepare_v2(db, sql, -1, &stmt, nil) == SQLITE_OK, let stmt else {
            throw Failure(message: db.map { String(cString: sqlite3_errmsg($0)) } ?? "closed")
        }
        defer { sqlite3_finalize(stmt) }
        for (i, v) in values.enumerated() { bind(stmt, Int32(i + 1), v) }
        while true {
            let rc = sqlite3_step(stmt)
            if rc == SQLITE_DONE { return }
            guard rc == SQLITE_ROW else {
                throw Failure(message: db.map { String(cString: sqlite3_errmsg($0)) } ?? "closed")
            }
            try row?(Row(stmt: stmt))
        }
    }

    private func bind(_ stmt: OpaquePointer, _ i: Int32, _ v: SQLValue) {
        switch v {
        case .int(let n): sqlite3_bind_int64(stmt, i, n)
        case .text(let s):
            _ = sqlite3_bind_text(stmt, i, s, Int32(s.utf8.count), Self.transient)
        }
    }

    /// A value to bind.
    enum SQLValue {
        case int(Int64)
        case text(String)
    }

    /// One result row (valid only inside the callback).
    struct Row {
        let stmt: OpaquePointer
        func int(_ col: Int32) -> Int64 { sqlite3_column_int64(stmt, col) }
        func text(_ col: Int32) -> String {
            let n = Int(sqlite3_column_bytes(stmt, col))
            guard let p = sqlite3_column_text(stmt, col), n > 0 else { return "" }
            return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
        }
    }
}
