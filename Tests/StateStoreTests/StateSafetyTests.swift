import Baselines
import CSQLite
import Foundation
import StateStore
import Testing

/// One writer at a time, and nothing written to a file before it is known to be
/// a sound trailhound state file (issue 15).
@Suite("State file safety")
struct StateSafetyTests {
    @Test("a second writer is refused with the holder's PID; the lock goes with close")
    func secondWriterIsRefused() throws {
        let path = try tempDir() + "/state.db"
        let first = try StateStore(path: path)
        expectStateError("state.locked") { _ = try StateStore(path: path) }
        do {
            _ = try StateStore(path: path)
        } catch {
            #expect(error.description.contains("in use by PID \(getpid())"))
        }
        first.close()
        let second = try StateStore(path: path)
        second.close()
    }

    @Test("a reader reads while a writer holds the lock, and never writes")
    func readerDoesNotBlockOrWrite() throws {
        let path = try tempDir() + "/state.db"
        let writer = try StateStore(path: path)
        try writer.checkpoint(baselines: store(["role/a"]).snapshot(), detectors: [:])
        let reader = try StateStore(path: path, access: .readOnly)
        let seen = BaselineStore()
        #expect(try reader.restore(into: seen) == 1)
        try writer.checkpoint(baselines: store(["role/b"]).snapshot(), detectors: [:])
        reader.close()
        writer.close()
        // A reader on a file that does not exist creates nothing.
        let missing = try tempDir() + "/none.db"
        expectStateError("state.open") { _ = try StateStore(path: missing, access: .readOnly) }
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test("a foreign SQLite file is refused without a byte changed")
    func foreignFileIsRefusedUnchanged() throws {
        let path = try tempDir() + "/other.db"
        rawSQL(
            path,
            "PRAGMA journal_mode=DELETE; CREATE TABLE accounts(id INTEGER PRIMARY KEY, name TEXT); "
                + "INSERT INTO accounts VALUES (1, 'ledger');")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        expectStateError("state.schema") { _ = try StateStore(path: path) }
        let after = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(before == after, "header or pages changed (WAL switched on before the schema check?)")
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test("a state file with a damaged page fails quick_check at open")
    func damagedFileIsRefusedAtOpen() throws {
        let path = try tempDir() + "/state.db"
        let st = try StateStore(path: path)
        try st.checkpoint(baselines: store((0..<300).map { "role/r\($0)" }, events: 40).snapshot(), detectors: [:])
        st.close()
        rawSQL(path, "PRAGMA wal_checkpoint(TRUNCATE);")
        var bytes = [UInt8](try Data(contentsOf: URL(fileURLWithPath: path)))
        let pageSize = Int(bytes[16]) << 8 | Int(bytes[17])
        let size = pageSize == 1 ? 65536 : pageSize
        #expect(bytes.count >= 4 * size, "expected a few pages, got \(bytes.count) bytes")
        // Scribble over the cell area of a b-tree page in the middle (not the header page).
        let page = bytes.count / size / 2
        for i in (page * size + 8)..<(page * size + size) { bytes[i] = UInt8(truncatingIfNeeded: i &* 131) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        expectStateError("state.corrupt") { _ = try StateStore(path: path) }
        expectStateError("state.corrupt") { _ = try StateStore(path: path, access: .readOnly) }
    }
}
