import Foundation
import SQLite

/// One finding committed by a checkpoint, waiting for delivery (or kept until
/// every sink has delivered it).
public struct OutboxEntry: Sendable, Codable, Hashable {
    /// Sequence number: increases by one per finding over the life of the state file.
    public var seq: Int64
    /// Detector id.
    public var detector: String
    /// Severity (raw value of `Severity`).
    public var severity: Int
    /// Identity key (for `/findings?identity=`).
    public var identity: String
    /// Event time of the last evidence (ms).
    public var lastSeen: Int64
    /// The finding as one JSON line (the `scan` format plus `"seq"`), without newline.
    public var json: String
}

/// Where a sink stands: every finding with `seq <= delivered` was delivered.
/// File sinks also record the file's inode and size after that delivery, so
/// that lines written after the mark can be cut off after a crash.
public struct SinkMark: Sendable, Hashable {
    /// Highest delivered sequence number.
    public var delivered: Int64
    /// Inode of the output file (file sink), 0 otherwise.
    public var inode: Int64 = 0
    /// Size of the output file after the delivery (file sink), 0 otherwise.
    public var size: Int64 = 0
}

/// The durable outbox in the state file: findings enter it only after the
/// checkpoint that covers their events has committed (see `Journal`), sinks
/// read from it and record their progress in `watch_sinks`. Rows delivered by
/// every sink are pruned. Thread-safe (one connection behind a lock).
final class Outbox: @unchecked Sendable {
    private let db: SQLiteConnection
    private let lock = NSLock()

    /// Opens the outbox tables in the state file (call after `StateStore` has created its schema).
    init(path: String) throws {
        do {
            db = try SQLiteConnection(path: path)
        } catch {
            throw SQLiteConnection.Failure(code: error.code, message: "cannot open \(path): \(error.message)")
        }
        try db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
        try db.exec(
            """
            CREATE TABLE IF NOT EXISTS watch_outbox(seq INTEGER PRIMARY KEY, detector TEXT NOT NULL,
                severity INTEGER NOT NULL, identity TEXT NOT NULL, last_seen INTEGER NOT NULL, json TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS watch_sinks(name TEXT PRIMARY KEY NOT NULL, delivered INTEGER NOT NULL,
                inode INTEGER NOT NULL DEFAULT 0, size INTEGER NOT NULL DEFAULT 0);
            """)
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Adds committed findings; rows already present (same seq) are left as they are,
    /// so replaying a journal after a crash is harmless.
    func add(_ entries: [OutboxEntry]) throws {
        guard !entries.isEmpty else { return }
        try locked {
            try db.transaction {
                for e in entries {
                    try db.query(
                        "INSERT OR IGNORE INTO watch_outbox(seq, detector, severity, identity, last_seen, json) VALUES (?,?,?,?,?,?)",
                        [
                            .int(e.seq), .text(e.detector), .int(Int64(e.severity)), .text(e.identity),
                            .int(e.lastSeen),
                            .text(e.json),
                        ])
                }
            }
        }
    }

    /// Entries with `seq > after`, oldest first.
    func pending(after: Int64, limit: Int) throws -> [OutboxEntry] {
        try locked {
            var out: [OutboxEntry] = []
            try db.query(
                "SELECT seq, detector, severity, identity, last_seen, json FROM watch_outbox WHERE seq > ? ORDER BY seq LIMIT ?",
                [.int(after), .int(Int64(limit))]
            ) { r in
                out.append(
                    OutboxEntry(
                        seq: r.int(0), detector: r.text(1), severity: Int(r.int(2)), identity: r.text(3),
                        lastSeen: r.int(4), json: r.text(5)))
            }
            return out
        }
    }

    /// The newest entries (for the recent-findings ring after a restart).
    func newest(_ limit: Int) throws -> [OutboxEntry] {
        try pendingReversed(limit)
    }

    private func pendingReversed(_ limit: Int) throws -> [OutboxEntry] {
        try locked {
            var out: [OutboxEntry] = []
            try db.query(
                "SELECT seq, detector, severity, identity, last_seen, json FROM watch_outbox ORDER BY seq DESC LIMIT ?",
                [.int(Int64(limit))]
            ) { r in
                out.append(
                    OutboxEntry(
                        seq: r.int(0), detector: r.text(1), severity: Int(r.int(2)), identity: r.text(3),
                        lastSeen: r.int(4), json: r.text(5)))
            }
            return out.reversed()
        }
    }

    /// A sink's mark, nil when the sink never ran with this state file.
    func mark(_ sink: String) throws -> SinkMark? {
        try locked {
            var m: SinkMark?
            try db.query("SELECT delivered, inode, size FROM watch_sinks WHERE name = ?", [.text(sink)]) { r in
                m = SinkMark(delivered: r.int(0), inode: r.int(1), size: r.int(2))
            }
            return m
        }
    }

    /// Records a sink's progress (its own small transaction).
    func setMark(_ sink: String, _ m: SinkMark) throws {
        try locked {
            try db.query(
                "INSERT OR REPLACE INTO watch_sinks(name, delivered, inode, size) VALUES (?,?,?,?)",
                [.text(sink), .int(m.delivered), .int(m.inode), .int(m.size)])
        }
    }

    /// Deletes rows every sink in `sinks` has delivered, except the newest
    /// `keep` (shown by `/findings` after a restart); returns the rows left.
    @discardableResult
    func prune(sinks: [String], keep: Int) throws -> Int {
        try locked {
            var low = Int64.max
            for s in sinks {
                var d: Int64 = -1
                try db.query("SELECT delivered FROM watch_sinks WHERE name = ?", [.text(s)]) { d = $0.int(0) }
                low = min(low, d)
            }
            var top: Int64 = 0
            try db.query("SELECT coalesce(max(seq), 0) FROM watch_outbox") { top = $0.int(0) }
            low = min(low, top - Int64(keep))
            try db.query("DELETE FROM watch_outbox WHERE seq <= ?", [.int(low)])
            var n: Int64 = 0
            try db.query("SELECT count(*) FROM watch_outbox") { n = $0.int(0) }
            return Int(n)
        }
    }

    /// Highest sequence number in the outbox (0 when empty).
    func maxSeq() throws -> Int64 {
        try locked {
            var n: Int64 = 0
            try db.query("SELECT coalesce(max(seq), 0) FROM watch_outbox") { n = $0.int(0) }
            return n
        }
    }

    /// Closes the connection.
    func close() { locked { db.close() } }
}
