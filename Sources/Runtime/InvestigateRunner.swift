import Baselines
import Detection
import Detectors
import EventModel
import Foundation
import Ingest
import Investigation
import Sigma

/// `trailhound investigate`: reads the inputs once with the scan pipeline
/// (same decoders, same detectors and baselines), feeds every event and
/// finding to an `Investigator`, and writes the report. The "before"
/// baseline is a copy of the detection baselines taken when the first event
/// of the window arrives (plus a saved state, when given); events before the
/// window that arrive later are folded into that copy.
public final class InvestigateRunner {
    private let options: InvestigateOptions

    /// Creates a runner.
    public init(options: InvestigateOptions) { self.options = options }

    /// Failure to investigate, with the exit status to use.
    public struct Failure: Error, CustomStringConvertible {
        /// Message for stderr.
        public var description: String
        /// Exit status.
        public var status: ExitStatus
    }

    /// Builds the report and writes it; returns the process exit status.
    public func run() -> ExitStatus {
        let report: InvestigationReport
        do { report = try investigate() } catch {
            Terminal.err(error.description)
            return error.status
        }
        let text = InvestigateRunner.render(report, options.format)
        if let path = options.outputPath {
            do {
                let file = try OutputFile.open(path)
                file.write(text)
                try file.commit()
            } catch {
                Terminal.err(error.description)
                return .failure
            }
        } else {
            let out = OutputBuffer()
            for line in text.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                out.line(String(line))
            }
            out.flush()
            if out.failed { return .failure }
        }
        if options.summary {
            let where_ = options.outputPath.map { "; report written to \($0)" } ?? ""
            Terminal.err(
                "trailhound: investigated \(report.rootIdentity.isEmpty ? options.identity : report.rootIdentity): "
                    + "\(report.input.events) events read, \(report.input.matched) attributed, \(report.principals.count) identities, "
                    + "\(report.findings.count) findings, verdict \(report.verdict.rawValue)\(where_)")
        }
        if report.input.matched == 0 {
            Terminal.err("trailhound: error: no event in the window matched \(options.identity); the report is empty")
            return .failure
        }
        return .ok
    }

    /// Renders a report in a format.
    public static func render(_ r: InvestigationReport, _ format: ReportFormat) -> String {
        switch format {
        case .json: ReportJSON.render(r)
        case .md: ReportMarkdown.render(r)
        case .html: ReportHTML.render(r)
        }
    }

    /// Reads the inputs and builds the report (no output).
    public func investigate() throws(Failure) -> InvestigationReport {
        let set = DetectorLoader.load(directory: options.detectorsDirectory, registry: Registry.all)
        if !set.issues.isEmpty {
            for i in set.issues { Terminal.err(i.description) }
            throw Failure(
                description:
                    "trailhound: error: \(set.issues.count) problem(s) in detector config; nothing investigated",
                status: .usage)
        }
        guard let rules = RuleLoading.loadForRun(options.ruleDirectories) else {
            throw Failure(
                description: "trailhound: error: rule tuning is invalid; nothing investigated", status: .usage)
        }
        let reporter = DiagnosticReporter(perCode: options.diagnosticsPerCode, write: Terminal.err)
        let discovered: CloudInputs.Resolved
        do {
            discovered = try CloudInputs.resolve(options.paths, since: nil, until: nil, cloud: options.cloud)
        } catch {
            throw Failure(description: "trailhound: error: \(error)", status: .failure)
        }
        for d in discovered.diagnostics { reporter.report(d) }
        let files = discovered.files.filter { !$0.isDigest }
        if files.isEmpty { throw Failure(description: "trailhound: error: no input files found", status: .failure) }
        let baselines = BaselineStore(configuration: options.baselines)
        NetworkClassLoader.install(
            into: baselines, detectorsDirectory: options.detectorsDirectory, report: reporter.report)
        let engine = DetectionEngine(
            detectors: set.detectors + rules.detectors, baselines: baselines, stages: [RiskCorrelator()])
        if let path = options.statePath {
            do {
                let session = try StateSession(path: path, access: .readOnly)
                try session.load(into: baselines, engine: engine, engineMemory: false)
                session.close()
            } catch {
                throw Failure(description: error.description, status: .failure)
            }
        }
        let target = InvestigationTarget(options.identity)
        let saved = options.statePath == nil ? [] : baselines.identityKeys.filter { target.query.names(key: $0) }
        if saved.count > 1 { throw Self.ambiguous(options.identity, saved, in: options.statePath ?? "") }
        var limits = options.limits
        limits.workloads = Workloads.of(set)
        let investigator = Investigator(target: target, window: options.window, configuration: limits)
        let feed = Feed(
            engine: engine, investigator: investigator, window: options.window, reporter: reporter,
            rawInterest: rules.rawInterest)
        if options.window.from == nil && options.statePath != nil { feed.before = try Self.copy(baselines) }
        feed.read(files, options, objects: discovered.objects)
        feed.pipeline.finish()
        if feed.before == nil && options.window.from != nil { feed.before = try Self.copy(baselines) }
        let candidates = Set(investigator.nameCandidates + saved)
        if candidates.count > 1 {
            let place = options.statePath.map { "the input and \($0)" } ?? "the input"
            throw Self.ambiguous(options.identity, candidates.sorted(), in: place)
        }
        return investigator.finish(before: feed.before)
    }

    /// A short name that matches several identities: list them, investigate none (exit 64).
    static func ambiguous(_ text: String, _ keys: [String], in place: String) -> Failure {
        Failure(description: IdentityQuery(text).ambiguity(keys, in: place), status: .usage)
    }

    /// An independent copy of a baseline store.
    static func copy(_ b: BaselineStore) throws(Failure) -> BaselineStore {
        let out = BaselineStore(configuration: b.configuration)
        do { try out.restore(b.snapshot()) } catch {
            throw Failure(description: "trailhound: error: cannot copy baselines: \(error.message)", status: .failure)
        }
        return out
    }
}

/// The read loop: decoding (in parallel), detection, investigation, in order.
final class Feed {
    let engine: DetectionEngine
    let investigator: Investigator
    let window: TimeWindow
    let pipeline: Pipeline
    var before: BaselineStore?
    var copyFailed = false

    let rawInterest: RawInterest

    init(
        engine: DetectionEngine, investigator: Investigator, window: TimeWindow, reporter: DiagnosticReporter,
        rawInterest: RawInterest
    ) {
        self.engine = engine
        self.investigator = investigator
        self.window = window
        self.rawInterest = rawInterest
        self.pipeline = Pipeline(
            engine: engine, ingest: IngestOptions(), rawInterest: rawInterest, onFinding: { investigator.add($0) },
            onDiagnostic: reporter.report)
    }

    func read(_ files: [InputFile], _ options: InvestigateOptions, objects: ObjectSourceRef?) {
        var ingest = IngestOptions()
        ingest.maxDecompressedBytes = options.maxDecompressedBytes
        ingest.maxRecordBytes = options.maxRecordBytes
        ingest.objects = objects
        let workers = objects == nil ? options.workers : max(options.workers, options.cloud.inFlight)
        if workers > 1 && files.count > 1 {
            ParallelDecoder(
                files: files, options: ingest, workers: workers, mappings: options.mappings,
                rawInterest: rawInterest, frontDoor: options.frontDoor
            ).run(
                consume: { _, batch in for item in batch.items { self.handle(item) } }, fileDone: { _, _ in })
        } else {
            let decoder = FileDecoder(
                options: ingest, mappings: options.mappings, rawInterest: rawInterest, frontDoor: options.frontDoor)
            for f in files { _ = decoder.decode(f) { self.handle($0) } }
        }
    }

    func handle(_ item: DecodedItem) {
        guard case .event(let e) = item else {
            pipeline.handle(item)
            return
        }
        if before == nil, !copyFailed, let from = window.from, e.time >= from {
            do { before = try InvestigateRunner.copy(engine.baselines) } catch { copyFailed = true }
        }
        let duplicates = engine.stats.duplicates
        pipeline.handle(item)
        guard engine.stats.duplicates == duplicates else { return }
        // The investigator holds events for the report; the raw record was for the rules only.
        var plain = e
        plain.raw = nil
        investigator.observe(plain)
        if let b = before, window.isBefore(e.time) { b.observe(e) }
    }
}
