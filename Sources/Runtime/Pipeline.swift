import Detection
import EventModel
import Formats
import Ingest

/// decompress → frame → decode → detect. Decoding may happen on other threads
/// (`ParallelDecoder`); detection happens here, on one thread, in input order.
/// Owns no output: findings and diagnostics go to the callbacks. Used by
/// `scan` and by the live service.
public final class Pipeline {
    /// The detection engine (baselines inside).
    public let engine: DetectionEngine
    private let decoder: FileDecoder
    /// Limits used by the decoders.
    public let ingest: IngestOptions
    /// Workflow-log mappings used by the decoders.
    public let mappings: [WorkflowMapping]
    /// Which events keep their provider record for the loaded rules (`Event.raw`).
    public let rawInterest: RawInterest
    /// Endpoint catalogue and deployments of the front-door formats.
    public let frontDoor: FrontDoorConfig
    /// Counters.
    public private(set) var stats = ScanStats()
    private let onFinding: (Finding) -> Void
    private let onDiagnostic: (Diagnostic) -> Void
    /// Called with every event before detection (e.g. `--events-out`); nil by default.
    public var onEvent: ((Event) -> Void)?

    /// Creates a pipeline.
    public init(
        engine: DetectionEngine, ingest: IngestOptions, mappings: [WorkflowMapping] = [],
        rawInterest: RawInterest = .none, frontDoor: FrontDoorConfig = FrontDoorConfig(),
        onFinding: @escaping (Finding) -> Void, onDiagnostic: @escaping (Diagnostic) -> Void
    ) {
        self.engine = engine
        self.ingest = ingest
        self.mappings = mappings
        self.rawInterest = rawInterest
        self.frontDoor = frontDoor
        self.decoder = FileDecoder(
            options: ingest, mappings: mappings, rawInterest: rawInterest, frontDoor: frontDoor)
        self.onFinding = onFinding
        self.onDiagnostic = onDiagnostic
    }

    /// Reads one file to its end on this thread (or to its first unrecoverable error).
    public func process(_ file: InputFile, progress: ((Int64) -> Void)? = nil) {
        guard begin(file) else { return }
        let fs = decoder.decode(file, progress: progress) { handle($0) }
        end(fs)
    }

    /// Scans files in order, decoding on `workers` threads; `progress` gets
    /// compressed bytes consumed (delta).
    public func process(_ files: [InputFile], workers: Int, progress: ((Int64) -> Void)? = nil) {
        let wanted = files.filter { begin($0) }
        guard workers > 1 && wanted.count > 1 else {
            for f in wanted {
                var last: Int64 = 0
                let fs = decoder.decode(
                    f,
                    progress: {
                        progress?($0 - last); last = $0
                    }
                ) { handle($0) }
                end(fs)
            }
            return
        }
        var last: Int64 = 0
        ParallelDecoder(
            files: wanted, options: ingest, workers: workers, mappings: mappings, rawInterest: rawInterest,
            frontDoor: frontDoor
        ).run(
            consume: { _, batch in
                for item in batch.items { handle(item) }
                progress?(batch.consumed - last)
                last = batch.consumed
            },
            fileDone: { _, fs in
                last = 0
                end(fs)
            })
    }

    /// Counts a file in (or skips a digest with a note); false when it is skipped.
    private func begin(_ file: InputFile) -> Bool {
        if file.isDigest {
            stats.filesSkipped += 1
            diagnose(
                Diagnostic(
                    origin: Origin(path: file.path, record: 0), level: .note, code: "input.digest_skipped",
                    message: "CloudTrail digest file skipped (integrity digests carry no events)"))
            return false
        }
        stats.files += 1
        return true
    }

    private func end(_ fs: FileStats) {
        stats.compressedBytes += fs.compressedBytes
        stats.decompressedBytes += fs.decompressedBytes
        stats.records += fs.records
    }

    /// Handles one decoded item: detection for events, counting for diagnostics.
    public func handle(_ item: DecodedItem) {
        switch item {
        case .event(let event):
            stats.events += 1
            if event.identity.key.isEmpty { stats.missingIdentity += 1 }
            onEvent?(event)
            engine.process(event, emit: emit)
        case .diagnostic(let d):
            diagnose(d)
        }
    }

    /// Live input gone quiet: reports the dedup groups whose window ended
    /// before the newest event (batch scans do this every 16,384 events).
    public func closeExpired() {
        engine.closeExpired(emit: emit)
    }

    /// End of input: flush detector windows and dedup groups.
    public func finish() {
        engine.finish(emit: emit)
        stats.duplicates = engine.stats.duplicates
    }

    private func emit(_ f: Finding) {
        stats.findingsBySeverity[f.severity, default: 0] += 1
        onFinding(f)
    }

    private func diagnose(_ d: Diagnostic) {
        stats.diagnostics[d.code, default: 0] += 1
        onDiagnostic(d)
    }
}
