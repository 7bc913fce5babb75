import Ingest

/// Watches a directory (recursively, the S3 delivery layout included) for
/// new whole files, as CloudTrail delivers them: a file is handed out once
/// its size has stayed the same for `settle` seconds (so a file still being
/// copied in is not read half-written), then never again at that size; names
/// that are hidden or look like partial uploads (`.tmp`, `.part`, `~`) are
/// ignored. Files done are recorded in the state's `inputs` table with their
/// size; this keeps a cache of them for the files present.
final class DirectoryWatcher {
    /// Watched directory.
    let root: String
    private let settle: Double
    private var pending: [String: (size: Int64, since: Double)] = [:]
    private var done: [String: Int64] = [:]
    /// Files seen but not yet settled at the last poll.
    private(set) var waiting = 0

    init(root: String, settle: Double) {
        self.root = root
        self.settle = settle
    }

    /// Files ready to be read, in CloudTrail delivery-time order then path.
    /// `isDone` asks the state whether a file was read at that size.
    func ready(now: Double, isDone: (String, Int64) -> Bool) -> [InputFile] {
        let listed = InputDiscovery.discover([root]).files
        var present: Set<String> = []
        var out: [InputFile] = []
        for f in listed {
            present.insert(f.path)
            guard let size = f.size, !Self.looksPartial(f.path), done[f.path] != size else { continue }
            if isDone(f.path, size) {
                done[f.path] = size
                continue
            }
            if let p = pending[f.path], p.size == size {
                if now - p.since >= settle { out.append(f) }
            } else {
                pending[f.path] = (size, now)
            }
        }
        done = done.filter { present.contains($0.key) }
        pending = pending.filter { present.contains($0.key) }
        waiting = pending.count - out.count
        return out
    }

    /// Records that a file was read (its size as listed).
    func markDone(_ f: InputFile) {
        done[f.path] = f.size ?? 0
        pending[f.path] = nil
    }

    static func looksPartial(_ path: String) -> Bool {
        path.hasSuffix(".tmp") || path.hasSuffix(".part") || path.hasSuffix(".partial") || path.hasSuffix("~")
            || path.hasSuffix(".crdownload")
    }
}
