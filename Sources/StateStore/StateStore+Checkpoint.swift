import Baselines
import SQLite

/// Everything a state file holds except input positions (queried one by one).
public struct SavedState: Sendable {
    /// Saved baselines (complete).
    public var baselines: BaselineSnapshot
    /// Saved detector states by detector id.
    public var detectors: [String: [UInt8]]
}

extension StateStore {
    /// Writes baselines (complete or incremental), shared facts, detector states
    /// and input positions (the staged `markDone`/`setPosition` marks plus
    /// `inputs`) in ONE transaction. On error nothing is written, the previous
    /// checkpoint stays intact, the staged marks are kept for the next try, and
    /// `state.write` (or `state.corrupt`) is thrown.
    public func checkpoint(
        baselines: BaselineSnapshot, detectors: [String: [UInt8]], inputs: [InputPosition] = []
    ) throws(StateError) {
        let marks = Array(stagedInputs.values) + inputs
        try wrap("state.write", "checkpoint failed; the previous checkpoint is kept") {
            try connection.exec("BEGIN IMMEDIATE")
            do {
                try writeBaselines(baselines)
                try writeDetectors(detectors)
                try writeInputs(marks)
                try connection.exec("COMMIT")
            } catch {
                try? connection.exec("ROLLBACK")
                throw error
            }
        }
        clearStaged()
    }

    private func writeBaselines(_ s: BaselineSnapshot) throws {
        if s.isComplete { try connection.exec("DELETE FROM baselines") }
        let upsert = try connection.prepare(
            "INSERT OR REPLACE INTO baselines(identity, last_seen, data) VALUES (?, ?, ?)")
        for r in s.identities {
            upsert.bind(1, r.key)
            upsert.bind(2, r.lastSeen)
            upsert.bind(3, blob: r.bytes)
            try upsert.run()
        }
        let delete = try connection.prepare("DELETE FROM baselines WHERE identity = ?")
        for k in s.removed {
            delete.bind(1, k)
            try delete.run()
        }
        try connection.exec("DELETE FROM facts")
        let fact = try connection.prepare("INSERT INTO facts(name, data) VALUES (?, ?)")
        for (name, data) in s.facts.sorted(by: { $0.key < $1.key }) {
            fact.bind(1, name)
            fact.bind(2, blob: data)
            try fact.run()
        }
    }

    private func writeDetectors(_ states: [String: [UInt8]]) throws {
        try connection.exec("DELETE FROM detectors")
        let ins = try connection.prepare("INSERT INTO detectors(id, data) VALUES (?, ?)")
        for (id, data) in states.sorted(by: { $0.key < $1.key }) {
            ins.bind(1, id)
            ins.bind(2, blob: data)
            try ins.run()
        }
    }

    private func writeInputs(_ marks: [InputPosition]) throws {
        let ins = try connection.prepare(
            "INSERT OR REPLACE INTO inputs(path, offset, done, size, mtime) VALUES (?, ?, ?, ?, ?)")
        for m in marks {
            ins.bind(1, m.path)
            ins.bind(2, m.offset)
            ins.bind(3, m.done ? 1 : 0)
            ins.bind(4, m.size)
            ins.bind(5, m.mtime)
            try ins.run()
        }
    }

    // MARK: - Loading

    /// Loads every saved baseline and detector state.
    public func load() throws(StateError) -> SavedState {
        let facts = try loadFacts()
        var records: [IdentityRecord] = []
        try forEachBaseline { records.append($0) }
        return SavedState(
            baselines: BaselineSnapshot(isComplete: true, identities: records, facts: facts),
            detectors: try loadDetectors())
    }

    /// Restores the saved baselines into `store`, one row at a time (no full
    /// copy of the state in memory). Returns the number of identities restored.
    /// An undecodable row is `state.corrupt` (naming the identity).
    @discardableResult
    public func restore(into store: BaselineStore) throws(StateError) -> Int {
        let facts = try loadFacts()
        var n = 0
        try wrap("state.read", "cannot restore baselines") {
            try store.beginRestore(facts: facts)
            try forEachBaseline { rec in
                try store.restoreIdentity(rec)
                n += 1
            }
        }
        return n
    }

    /// Calls `body` with each saved identity record, in key order.
    public func forEachBaseline(_ body: (IdentityRecord) throws -> Void) throws(StateError) {
        try wrap("state.read", "cannot read baselines") {
            let q = try connection.prepare("SELECT identity, last_seen, data FROM baselines ORDER BY identity")
            while try q.step() {
                try body(IdentityRecord(key: q.text(0), lastSeen: q.int(1), bytes: q.blob(2)))
            }
        }
    }

    /// Number of saved identities.
    public func baselineCount() throws(StateError) -> Int {
        try wrap("state.read", "cannot count baselines") {
            let q = try connection.prepare("SELECT count(*) FROM baselines")
            return try q.step() ? Int(q.int(0)) : 0
        }
    }

    /// Saved shared facts by name.
    public func loadFacts() throws(StateError) -> [String: [UInt8]] {
        try wrap("state.read", "cannot read facts") {
            var out: [String: [UInt8]] = [:]
            let q = try connection.prepare("SELECT name, data FROM facts")
            while try q.step() { out[q.text(0)] = q.blob(1) }
            return out
        }
    }

    /// Saved detector states by detector id.
    public func loadDetectors() throws(StateError) -> [String: [UInt8]] {
        try wrap("state.read", "cannot read detector states") {
            var out: [String: [UInt8]] = [:]
            let q = try connection.prepare("SELECT id, data FROM detectors")
            while try q.step() { out[q.text(0)] = q.blob(1) }
            return out
        }
    }
}
