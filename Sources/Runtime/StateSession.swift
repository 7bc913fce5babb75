import Baselines
import Detection
import EventModel
import Ingest
import StateStore

/// Loads baselines and detector state from a `--state` file before a scan and
/// saves them, with the list of files scanned, in one transaction after it.
public final class StateSession {
    private let store: StateStore
    /// Identities restored from the file.
    public private(set) var restoredIdentities = 0

    /// Opens (or creates) the state file; a writer holds its lock until `close()`.
    public init(path: String, access: StateStore.Access = .readWrite) throws(StateError) {
        store = try StateStore(path: path, access: access)
    }

    /// Restores saved baselines into `baselines` and saved detector windows into `engine`.
    /// `engineMemory: false` (investigate) leaves out the engine's own memory (event ids
    /// seen, open dedup groups, watermark): re-reading logs the state already scanned must
    /// show their events to the investigation, not drop them as duplicate deliveries.
    public func load(into baselines: BaselineStore, engine: DetectionEngine, engineMemory: Bool = true)
        throws(StateError)
    {
        restoredIdentities = try store.restore(into: baselines)
        var saved = try store.loadDetectors()
        if !engineMemory { saved[DetectionEngine.stateKey] = nil }
        engine.restoreDetectors(saved)
    }

    /// Files of `files` that an earlier scan with this state file already read
    /// (same path and size); scanning them again would count their events twice.
    public func alreadyScanned(_ files: [InputFile]) throws(StateError) -> Set<String> {
        var done: Set<String> = []
        for f in files where !f.isStdin && !f.isDigest {
            if let size = f.size, try store.isDone(path: f.path, size: size) { done.insert(f.path) }
        }
        return done
    }

    /// Saves baselines, detector state and the files scanned, atomically.
    public func save(baselines: BaselineStore, engine: DetectionEngine, scanned: [InputFile]) throws(StateError) {
        for f in scanned where !f.isStdin && !f.isDigest {
            store.markDone(path: f.path, size: f.size ?? 0)
        }
        try store.checkpoint(baselines: baselines.snapshot(), detectors: engine.snapshotDetectors())
    }

    /// Closes the database.
    public func close() { store.close() }
}
