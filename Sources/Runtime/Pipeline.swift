import Detection
import EventModel
import Formats
import Ingest

/// decompress → frame → decode → detect for a sequence of input files.
/// Owns no output: findings and diagnostics go to the callbacks. Used by
/// `scan` and (later) `watch`.
public final class Pipeline {
    /// The detection engine (baselines inside).
    public let engine: DetectionEngine
    private var decoder = RecordDecoder()
    private let reader: RecordReader
    /// Counters.
    public private(set) var stats = ScanStats()
    private let onFinding: (Finding) -> Void
    private let onDiagnostic: (Diagnostic) -> Void

    /// Creates a pipeline.
    public init(
        engine: DetectionEngine, ingest: IngestOptions, mappings: [WorkflowMapping] = [],
        onFinding: @escaping (Finding) -> Void, onDiagnostic: @escaping (Diagnostic) -> Void
    ) {
        self.engine = engine
        self.decoder = RecordDecoder(mappings: mappings)
        self.reader = RecordReader(options: ingest)
        self.onFinding = onFinding
        self.onDiagnostic = onDiagnostic
    }

    /// Reads one file to its end (or to its first unrecoverable error).
    public func process(_ file: InputFile, progress: ((Int64) -> Void)? = nil) {
        if file.isDigest {
            stats.filesSkipped += 1
            diagnose(Diagnostic(origin: Origin(path: file.path, record: 0), level: .note, code: "input.digest_skipped",
                message: "CloudTrail digest file skipped (integrity digests carry no events)"))
            return
        }
        stats.files += 1
        let fs = reader.read(
            file, onProgress: progress,
            onRecord: { bytes, info in self.record(bytes, info.origin) },
            onDiagnostic: { self.diagnose($0) })
        stats.compressedBytes += fs.compressedBytes
        stats.decompressedBytes += fs.decompressedBytes
    }

    /// Decodes and detects one framed record.
    public func record(_ bytes: UnsafeRawBufferPointer, _ origin: Origin) {
        stats.records += 1
        let result = decoder.decode(bytes, origin: origin)
        for w in decoder.warnings { diagnose(w) }
        switch result {
        case .event(let event):
            if event.identity.key.isEmpty {
                stats.missingIdentity += 1
                diagnose(Diagnostic(origin: origin, level: .warning, code: "decode.missing_identity",
                    message: "record has no userIdentity; processed without a baseline identity"))
            }
            stats.events += 1
            engine.process(event, emit: emit)
        case .skipped(let d):
            diagnose(d)
        case .failed(let d):
            diagnose(d)
        case .omitted(let reason):
            stats.omitted[reason, default: 0] += 1
        }
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
