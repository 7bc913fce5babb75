import SQLite
extension StateStore {
    /// Stages "this file was read to its end" (written by the next checkpoint,
    /// together with the baselines that hold its events).
    public func markDone(path: String, size: Int64, mtime: Int64 = 0) {
        stage(InputPosition(path: path, offset: size, done: true, size: size, mtime: mtime))
    }

    /// Stages a position inside a file (live tailing), written by the next checkpoint.
    public func setPosition(_ p: InputPosition) { stage(p) }

    /// True when the file was fully scanned at this size (staged or saved).
    public func isDone(path: String, size: Int64) throws(StateError) -> Bool {
        guard let p = try position(path: path) else { return false }
        return p.done && p.size == size
    }

    /// The staged or saved position of a file.
    public func position(path: String) throws(StateError) -> InputPosition? {
        if let p = stagedInputs[path] { return p }
        return try wrap("state.read", "cannot read input positions") {
            let q = try inputLookup()
            defer { q.reset() }
            q.bind(1, path)
            guard try q.step() else { return nil }
            return InputPosition(path: path, offset: q.int(0), done: q.int(1) != 0, size: q.int(2), mtime: q.int(3))
        }
    }

    /// Every saved input position, sorted by path (staged marks not included).
    public func savedInputs() throws(StateError) -> [InputPosition] {
        try wrap("state.read", "cannot read input positions") {
            var out: [InputPosition] = []
            let q = try connection.prepare("SELECT path, offset, done, size, mtime FROM inputs ORDER BY path")
            while try q.step() {
                out.append(
                    InputPosition(
                        path: q.text(0), offset: q.int(1), done: q.int(2) != 0, size: q.int(3),
                        mtime: q.int(4)))
            }
            return out
        }
    }

    /// Number of staged (not yet checkpointed) input marks.
    public var stagedInputCount: Int { stagedInputs.count }
}
