import CSQLite

/// The one SQLite wrapper of the project (the state store and the service's outbox both use
/// it): one connection, prepared statements, binding and reading text/blobs by explicit length
/// (identity keys may contain NUL). Errors carry SQLite's result code so that callers can map
/// them to their own codes (`StateError`). Not thread-safe: one owner, or a lock around it.
public final class SQLiteConnection {
    /// The raw handle (nil once closed), for the rare call this wrapper does not cover.
    public private(set) var db: OpaquePointer?

    /// A failed SQLite call: its (extended) result code and SQLite's message.
    public struct Failure: Error, CustomStringConvertible {
        /// SQLite's result code (extended codes are on).
        public var code: Int32
        /// SQLite's message, or what this wrapper was doing.
        public var message: String
        /// True when the file is not a database or is damaged (the caller refuses it rather than retrying).
        public var isCorrupt: Bool { code & 0xFF == SQLITE_CORRUPT || code & 0xFF == SQLITE_NOTADB }
        /// The message.
        public var description: String { message }

        /// Creates a failure.
        public init(code: Int32, message: String) {
            self.code = code
            self.message = message
        }
    }

    /// Opens (read-write, creating it, or read-only) the database at `path`, with extended
    /// result codes and a 5 s busy timeout (several connections share one WAL file).
    public init(path: String, readOnly: Bool = false) throws(Failure) {
        var handle: OpaquePointer?
        let flags =
            (readOnly ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX
        let rc = sqlite3_open_v2(path, &handle, flags, nil)
        guard rc == SQLITE_OK, let handle else {
            let msg = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            throw Failure(code: rc, message: msg)
        }
        db = handle
        sqlite3_extended_result_codes(handle, 1)
        sqlite3_busy_timeout(handle, 5000)
    }

    deinit { close() }

    /// Closes the connection (again is harmless).
    public func close() {
        if let db { sqlite3_close_v2(db) }
        db = nil
    }

    /// The failure of a call that returned `rc`, with SQLite's current message.
    public func failure(_ rc: Int32) -> Failure {
        Failure(code: rc, message: db.map { String(cString: sqlite3_errmsg($0)) } ?? "closed")
    }

    /// Runs one or more statements without results.
    public func exec(_ sql: String) throws(Failure) {
        var err: UnsafeMutablePointer<CChar>?
        let rc = sqlite3_exec(db, sql, nil, nil, &err)
        if rc != SQLITE_OK {
            let msg = err.map { String(cString: $0) } ?? "error \(rc)"
            sqlite3_free(err)
            throw Failure(code: rc, message: msg)
        }
    }

    /// Compiles one statement.
    public func prepare(_ sql: String) throws(Failure) -> Statement {
        var stmt: OpaquePointer?
        let rc = sqlite3_prepare_v2(db, sql, -1, &stmt, nil)
        guard rc == SQLITE_OK, let stmt else { throw failure(rc) }
        return Statement(stmt, self)
    }
}

/// A prepared statement; finalized on deinit. Bind, step, read columns, reset.
public final class Statement {
    /// The raw statement handle.
    public let stmt: OpaquePointer
    unowned let conn: SQLiteConnection
    private static let transient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

    init(_ stmt: OpaquePointer, _ conn: SQLiteConnection) {
        self.stmt = stmt
        self.conn = conn
    }

    deinit { sqlite3_finalize(stmt) }

    /// Resets the statement and clears its bindings, for the next use.
    public func reset() {
        sqlite3_reset(stmt)
        sqlite3_clear_bindings(stmt)
    }

    /// Binds text (by byte length: NUL bytes are kept) to parameter `i` (1-based).
    public func bind(_ i: Int32, _ s: String) {
        var s = s
        s.withUTF8 { b in
            if let base = b.baseAddress, b.count > 0 {
                base.withMemoryRebound(to: CChar.self, capacity: b.count) {
                    _ = sqlite3_bind_text(stmt, i, $0, Int32(b.count), Self.transient)
                }
            } else {
                _ = sqlite3_bind_text(stmt, i, "", 0, Self.transient)
            }
        }
    }

    /// Binds an integer to parameter `i` (1-based).
    public func bind(_ i: Int32, _ v: Int64) { sqlite3_bind_int64(stmt, i, v) }

    /// Binds bytes to parameter `i` (1-based).
    public func bind(_ i: Int32, blob: [UInt8]) {
        blob.withUnsafeBytes { b in
            if let base = b.baseAddress, b.count > 0 {
                _ = sqlite3_bind_blob(stmt, i, base, Int32(b.count), Self.transient)
            } else {
                _ = sqlite3_bind_zeroblob(stmt, i, 0)
            }
        }
    }

    /// Steps once: true when a row is available, false when done.
    public func step() throws(SQLiteConnection.Failure) -> Bool {
        let rc = sqlite3_step(stmt)
        if rc == SQLITE_ROW { return true }
        if rc == SQLITE_DONE { return false }
        throw conn.failure(rc)
    }

    /// Steps to completion (statements without rows), then resets.
    public func run() throws(SQLiteConnection.Failure) {
        defer { reset() }
        while try step() {}
    }

    /// Column `col` (0-based) of the current row as an integer.
    public func int(_ col: Int32) -> Int64 { sqlite3_column_int64(stmt, col) }

    /// Column `col` of the current row as text (by byte length).
    public func text(_ col: Int32) -> String {
        let n = Int(sqlite3_column_bytes(stmt, col))
        guard let p = sqlite3_column_text(stmt, col), n > 0 else { return "" }
        return String(decoding: UnsafeBufferPointer(start: p, count: n), as: UTF8.self)
    }

    /// Column `col` of the current row as bytes.
    public func blob(_ col: Int32) -> [UInt8] {
        guard let p = sqlite3_column_blob(stmt, col) else { return [] }
        let n = Int(sqlite3_column_bytes(stmt, col))
        return Array(UnsafeRawBufferPointer(start: p, count: n))
    }
}
