import SQLite
import Baselines
import EventModel

/// A state file problem, with a stable code:
/// `state.open` (cannot open or create the file), `state.schema` (not a
/// trailhound state file, or written by an incompatible version),
/// `state.corrupt` (damaged database or undecodable record), `state.write`
/// (a checkpoint failed; the previous checkpoint is intact), `state.read`.
public struct StateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable code.
    public var code: String
    /// What went wrong and what to do.
    public var message: String
    /// State file path.
    public var path: String

    /// Creates an error.
    public init(code: String, message: String, path: String) {
        self.code = code
        self.message = message
        self.path = path
    }

    /// As a `Diagnostic` (for uniform printing).
    public var diagnostic: Diagnostic {
        Diagnostic(origin: Origin(path: path, record: 0), code: code, message: message)
    }

    /// `path: error: message [code]`.
    public var description: String { diagnostic.description }
}

/// Progress through one input file (for the live service's tailing, and for
/// `scan --state` to skip files already scanned).
public struct InputPosition: Sendable, Hashable {
    /// File path as given or found.
    public var path: String
    /// Bytes consumed.
    public var offset: Int64
    /// True when the file was read to its end and its events are in the baselines.
    public var done: Bool
    /// File size when recorded.
    public var size: Int64
    /// Modification time when recorded (seconds since epoch), 0 when unknown.
    public var mtime: Int64

    /// Creates a position.
    public init(path: String, offset: Int64 = 0, done: Bool = false, size: Int64 = 0, mtime: Int64 = 0) {
        self.path = path
        self.offset = offset
        self.done = done
        self.size = size
        self.mtime = mtime
    }
}

/// The `--state FILE` database: baselines (one row per identity), shared
/// facts, detector states and input positions in one SQLite file in WAL mode.
/// `checkpoint(...)` writes everything in ONE transaction, so a crash or an
/// error leaves either the previous or the new checkpoint, never a mix.
/// Input marks (`markDone`, `setPosition`) are staged in memory and written by
/// the next checkpoint, so a file is marked done only together with the
/// baselines that contain its events.
public final class StateStore {
    /// Schema version this build reads and writes.
    public static let schemaVersion: Int64 = 1
    /// State file path.
    public let path: String
    private let conn: SQLiteConnection
    private let lock: StateLock?
    private(set) var stagedInputs: [String: InputPosition] = [:]
    private var lookup: Statement?

    private static let schema = """
        CREATE TABLE schema_version(version INTEGER NOT NULL);
        CREATE TABLE baselines(identity TEXT PRIMARY KEY NOT NULL, last_seen INTEGER NOT NULL, data BLOB NOT NULL);
        CREATE TABLE facts(name TEXT PRIMARY KEY NOT NULL, data BLOB NOT NULL);
        CREATE TABLE detectors(id TEXT PRIMARY KEY NOT NULL, data BLOB NOT NULL);
        CREATE TABLE inputs(path TEXT PRIMARY KEY NOT NULL CHECK(path <> ''), offset INTEGER NOT NULL DEFAULT 0,
            done INTEGER NOT NULL DEFAULT 0, size INTEGER NOT NULL DEFAULT 0, mtime INTEGER NOT NULL DEFAULT 0);
        """

    /// How a state file is opened.
    public enum Access: Sendable {
        /// A scan or the service: takes the exclusive writer lock (`state.locked` when another process has it).
        case readWrite
        /// `baseline show|list|export`: no lock, never writes, never blocks a writer.
        case readOnly
    }

    /// Opens or creates the state file. A writer first takes the lock, then checks
    /// that the file is a trailhound state file and passes SQLite's `quick_check`
    /// before anything is written to it (a foreign or damaged file is refused
    /// unchanged), and only then switches it to WAL mode.
    public init(path: String, access: Access = .readWrite) throws(StateError) {
        self.path = path
        lock = access == .readWrite ? try StateLock(statePath: path) : nil
        do {
            conn = try SQLiteConnection(path: path, readOnly: access == .readOnly)
        } catch {
            lock?.release()
            throw StateError(
                code: error.isCorrupt ? "state.corrupt" : "state.open",
                message: "cannot open state file: \(error.message)", path: path)
        }
        do {
            let fresh = try checkSchema(create: access == .readWrite)
            if !fresh { try checkIntegrity() }
            if access == .readWrite { try conn.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;") }
        } catch let e as StateError {
            close()
            throw e
        } catch let e as SQLiteConnection.Failure {
            close()
            throw StateError(
                code: e.isCorrupt ? "state.corrupt" : "state.open",
                message: e.isCorrupt
                    ? "state file is damaged or not a database (\(e.message)); move it away to start afresh"
                    : "cannot open state file: \(e.message)", path: path)
        } catch {
            close()
            throw StateError(code: "state.open", message: "\(error)", path: path)
        }
    }

    /// SQLite's `quick_check` (page structure, no index cross-check: ~linear in the
    /// file, a fraction of a second for 100,000 identities): a damaged file is
    /// refused at open instead of restoring half its rows.
    private func checkIntegrity() throws {
        let check = try conn.prepare("PRAGMA quick_check(5)")
        var problems: [String] = []
        while try check.step() { problems.append(check.text(0)) }
        guard problems != ["ok"] else { return }
        throw StateError(
            code: "state.corrupt",
            message: "state file fails SQLite's integrity check (\(problems.prefix(3).joined(separator: "; "))); "
                + "move it away to start afresh", path: path)
    }

    /// Checks the tables (reads only); creates them in an empty file when allowed.
    /// Returns true when the file was new.
    private func checkSchema(create: Bool) throws -> Bool {
        let tables = try conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        var names: Set<String> = []
        while try tables.step() { names.insert(tables.text(0)) }
        if names.isEmpty {
            guard create else {
                throw StateError(code: "state.schema", message: "empty file: not a trailhound state file", path: path)
            }
            try conn.exec("PRAGMA page_size=16384; PRAGMA journal_mode=WAL;")
            try conn.exec(
                "BEGIN IMMEDIATE; \(Self.schema) INSERT INTO schema_version VALUES (\(Self.schemaVersion)); COMMIT;")
            return true
        }
        guard names.contains("schema_version") else {
            throw StateError(
                code: "state.schema",
                message: "not a trailhound state file (no schema_version table); refusing to modify it", path: path)
        }
        let v = try conn.prepare("SELECT version FROM schema_version")
        guard try v.step() else {
            throw StateError(code: "state.schema", message: "schema_version table is empty", path: path)
        }
        let version = v.int(0)
        guard version == Self.schemaVersion else {
            throw StateError(
                code: "state.schema",
                message: "state file has schema version \(version); this build reads version \(Self.schemaVersion)",
                path: path)
        }
        for t in ["baselines", "facts", "detectors", "inputs"] where !names.contains(t) {
            throw StateError(code: "state.schema", message: "state file lacks table '\(t)'", path: path)
        }
        return false
    }

    /// Closes the database (also done on deinit).
    public func close() {
        lookup = nil
        conn.close()
        lock?.release()
    }

    var connection: SQLiteConnection { conn }

    func stage(_ p: InputPosition) { stagedInputs[p.path] = p }

    func clearStaged() { stagedInputs.removeAll() }

    func inputLookup() throws -> Statement {
        if let lookup { return lookup }
        let s = try conn.prepare("SELECT offset, done, size, mtime FROM inputs WHERE path = ?")
        lookup = s
        return s
    }

    func wrap<T>(_ code: String, _ what: String, _ body: () throws -> T) throws(StateError) -> T {
        do {
            return try body()
        } catch let e as StateError {
            throw e
        } catch let e as SQLiteConnection.Failure {
            throw StateError(code: e.isCorrupt ? "state.corrupt" : code, message: "\(what): \(e.message)", path: path)
        } catch let e as BinaryDecodeError {
            throw StateError(code: "state.corrupt", message: "\(what): \(e)", path: path)
        } catch {
            throw StateError(code: code, message: "\(what): \(error)", path: path)
        }
    }
}
