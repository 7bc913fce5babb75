import Baselines
import CSQLite
import EventModel
import Foundation
import StateStore
import TestSupport
import Testing

let t0: Int64 = 1_704_067_200_000

func tempDir() throws -> String { try Repository.temporaryDirectory("statestore").path }

/// Event `i` of `identity`: one of seven S3 operations, a minute apart (`TestEvents.event`).
func event(_ i: Int, identity: String) -> Event {
    TestEvents.event(
        time: t0 + Int64(i) * 60_000, identity: Identity(key: identity, type: .assumedRole), service: "s3",
        operation: "Op\(i % 7)", source: Source(kind: .ip, raw: "10.0.0.1", ips: ["10.0.0.1"]),
        userAgent: UserAgent(raw: "Boto3/1.34", family: .boto3, version: "1.34"), eventId: "\(identity)-\(i)")
}

func store(_ identities: [String], events: Int = 200) -> BaselineStore {
    let s = BaselineStore()
    for id in identities { for i in 0..<events { s.observe(event(i, identity: id)) } }
    return s
}

/// Runs raw SQL on a state file (to build foreign, newer or damaged files as users would have them).
func rawSQL(_ path: String, _ sql: String) {
    var db: OpaquePointer?
    sqlite3_open(path, &db)
    sqlite3_exec(db, sql, nil, nil, nil)
    sqlite3_close(db)
}

func expectStateError(_ code: String, _ body: () throws -> Void) {
    do {
        try body()
        Issue.record("expected \(code)")
    } catch let e as StateError {
        #expect(e.code == code, "\(e)")
        #expect(e.description.contains("[\(code)]"))
    } catch {
        Issue.record("unexpected \(error)")
    }
}

@Suite("StateStore")
struct StateStoreTests {
    @Test("save, reopen and compare: baselines, facts, detector states, input positions")
    func roundTrip() throws {
        let path = try tempDir() + "/state.db"
        let s = store(["role/a", "role/b"])
        let st = try StateStore(path: path)
        st.markDone(path: "logs/2024/01/01/a.json.gz", size: 1234, mtime: 1_700_000_000)
        #expect(try st.isDone(path: "logs/2024/01/01/a.json.gz", size: 1234))
        try st.checkpoint(
            baselines: s.snapshot(), detectors: ["secrets.enumeration": [1, 2, 3]],
            inputs: [InputPosition(path: "live/x.json", offset: 99, size: 500)])
        #expect(st.stagedInputCount == 0)
        #expect(FileManager.default.fileExists(atPath: path + "-wal"))
        st.close()

        let again = try StateStore(path: path)
        let r = BaselineStore()
        #expect(try again.restore(into: r) == 2)
        func content(_ j: String) -> [Substring] {
            j.split(separator: "\n").filter { !$0.contains("approximate_bytes") }
        }
        #expect(content(r.exportJSON()) == content(s.exportJSON()))
        #expect(try again.loadDetectors() == ["secrets.enumeration": [1, 2, 3]])
        #expect(try again.isDone(path: "logs/2024/01/01/a.json.gz", size: 1234))
        #expect(try !again.isDone(path: "logs/2024/01/01/a.json.gz", size: 9999))
        #expect(try !again.isDone(path: "logs/other.gz", size: 1234))
        #expect(try again.position(path: "live/x.json") == InputPosition(path: "live/x.json", offset: 99, size: 500))
        #expect(try again.savedInputs().count == 2)
        let loaded = try again.load()
        #expect(loaded.baselines.identities.map(\.key) == ["role/a", "role/b"])
        #expect(loaded.baselines.facts.keys.sorted() == ["accounts", "names", "stats", "trust"])
    }

    @Test("incremental checkpoints upsert changed identities and delete evicted ones")
    func incremental() throws {
        let path = try tempDir() + "/state.db"
        var cfg = BaselineConfiguration()
        cfg.maxIdentities = 64
        let s = BaselineStore(configuration: cfg)
        for i in 0..<10 { s.observe(event(i, identity: "role/\(i)")) }
        let st = try StateStore(path: path)
        try st.checkpoint(baselines: s.snapshot(), detectors: [:])
        #expect(try st.baselineCount() == 10)
        for i in 10..<100 { s.observe(event(i, identity: "role/\(i)")) }
        let delta = s.snapshotChanges()
        #expect(!delta.isComplete && !delta.removed.isEmpty)
        try st.checkpoint(baselines: delta, detectors: [:])
        #expect(try st.baselineCount() == s.identityCount)
        let r = BaselineStore(configuration: cfg)
        try st.restore(into: r)
        #expect(r.identityKeys == s.identityKeys)
    }

    @Test("a checkpoint that fails midway leaves the previous checkpoint intact")
    func atomicity() throws {
        let path = try tempDir() + "/state.db"
        let st = try StateStore(path: path)
        let first = store(["role/a"])
        try st.checkpoint(baselines: first.snapshot(), detectors: ["d": [1]])
        let second = store(["role/b", "role/c"])
        st.markDone(path: "kept.gz", size: 10)
        expectStateError("state.write") {
            // The empty input path violates the table's CHECK after baselines and detectors were written.
            try st.checkpoint(baselines: second.snapshot(), detectors: ["d": [2]], inputs: [InputPosition(path: "")])
        }
        #expect(st.stagedInputCount == 1)
        #expect(try st.isDone(path: "kept.gz", size: 10))
        st.close()
        let again = try StateStore(path: path)
        let r = BaselineStore()
        try again.restore(into: r)
        #expect(r.identityKeys == ["role/a"])
        #expect(try again.loadDetectors() == ["d": [1]])
        #expect(try !again.isDone(path: "kept.gz", size: 10))
    }

    @Test("damaged, foreign and newer files are reported with a code, never a crash")
    func badFiles() throws {
        let dir = try tempDir()
        let garbage = dir + "/garbage.db"
        try Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 31) }).write(to: URL(fileURLWithPath: garbage))
        expectStateError("state.corrupt") { _ = try StateStore(path: garbage) }

        let foreign = dir + "/foreign.db"
        rawSQL(foreign, "CREATE TABLE customers(id INTEGER);")
        expectStateError("state.schema") { _ = try StateStore(path: foreign) }

        let newer = dir + "/newer.db"
        try StateStore(path: newer).close()
        rawSQL(newer, "UPDATE schema_version SET version = 99;")
        expectStateError("state.schema") { _ = try StateStore(path: newer) }

        expectStateError("state.open") { _ = try StateStore(path: dir + "/missing/dir/state.db") }
    }

    @Test("an undecodable baseline row is state.corrupt naming the identity")
    func corruptRow() throws {
        let path = try tempDir() + "/state.db"
        let st = try StateStore(path: path)
        try st.checkpoint(baselines: store(["role/a", "role/b"]).snapshot(), detectors: [:])
        st.close()
        rawSQL(path, "UPDATE baselines SET data = x'01ffff' WHERE identity = 'role/b';")
        let again = try StateStore(path: path)
        do {
            try again.restore(into: BaselineStore())
            Issue.record("expected state.corrupt")
        } catch {
            #expect(error.code == "state.corrupt")
            #expect(error.message.contains("role/b"))
        }
    }

    @Test("a truncated database file is reported")
    func truncated() throws {
        let dir = try tempDir()
        let path = dir + "/state.db"
        let st = try StateStore(path: path)
        try st.checkpoint(baselines: store((0..<50).map { "role/\($0)" }).snapshot(), detectors: [:])
        st.close()
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let cut = dir + "/cut.db"
        try data.prefix(data.count / 3).write(to: URL(fileURLWithPath: cut))
        var code = ""
        do {
            let s = try StateStore(path: cut)
            try s.restore(into: BaselineStore())
        } catch {
            code = error.code
        }
        #expect(["state.corrupt", "state.read", "state.schema"].contains(code), "got '\(code)'")
    }
}
