import AWS
import Baselines
import Detection
import Detectors
import EventModel
import Formats
import Foundation
import Ingest
import Investigation
import Sigma
import StateStore

/// `trailhound scan`: loads detectors, walks the inputs in event-time order,
/// runs the pipeline, writes findings to stdout and the summary to stderr.
public final class Scanner {
    private let options: ScanOptions
    private let out = OutputBuffer()
    private var textFindings: [Finding] = []
    private var worst: Severity? = nil
    private var incidents: IncidentBuilder? = nil

    /// Creates a scanner.
    public init(options: ScanOptions) { self.options = options }

    /// Runs the scan and returns the process exit status.
    public func run() -> ExitStatus {
        let set = DetectorLoader.load(directory: options.detectorsDirectory, registry: Registry.all)
        if !set.issues.isEmpty {
            for i in set.issues { Terminal.err(i.description) }
            Terminal.err("trailhound: error: \(set.issues.count) problem(s) in detector config; nothing scanned")
            return .usage
        }
        guard let rules = RuleLoading.loadForRun(options.ruleDirectories) else { return .usage }
        let formats = FormatMappingLoader.load(directory: options.formatsDirectory)
        if !formats.issues.isEmpty {
            for i in formats.issues { Terminal.err(i.description) }
            Terminal.err("trailhound: error: \(formats.issues.count) problem(s) in format mappings; nothing scanned")
            return .usage
        }
        let reporter = DiagnosticReporter(perCode: options.diagnosticsPerCode, write: Terminal.err)
        let discovered: CloudInputs.Resolved
        do {
            discovered = try CloudInputs.resolve(
                options.paths, since: options.since, until: options.until, cloud: options.cloud)
        } catch {
            Terminal.err("trailhound: error: \(error)")
            return .failure
        }
        for d in discovered.diagnostics { reporter.report(d) }
        let baselines = BaselineStore(configuration: options.baselines)
        NetworkClassLoader.install(
            into: baselines, detectorsDirectory: options.detectorsDirectory, report: reporter.report)
        let chosen =
            options.noBaselines
            ? set.detectors.filter { !Registry.baselineDetectorIds.contains($0.spec.id) } : set.detectors
        if options.incidents {
            var config = IncidentBuilder.Configuration()
            config.workloads = Workloads.of(set)
            incidents = IncidentBuilder(configuration: config)
        }
        let engine = DetectionEngine(
            detectors: chosen + rules.detectors, baselines: baselines, stages: [RiskCorrelator()],
            observers: incidents.map { [IncidentChainObserver(builder: $0)] } ?? [])
        engine.observeBaselines = !options.noBaselines
        var files = discovered.files
        var state: StateSession? = nil
        if let path = options.statePath {
            do {
                let session = try StateSession(path: path)
                try session.load(into: baselines, engine: engine)
                if !options.rescan {
                    let done = try session.alreadyScanned(files)
                    if !done.isEmpty {
                        Terminal.err(
                            "trailhound: note: \(done.count) file(s) already scanned with this state file are skipped (--rescan to read them again)"
                        )
                        files.removeAll { done.contains($0.path) }
                    }
                }
                state = session
            } catch {
                Terminal.err(error.description)
                return .failure
            }
        }
        var ingest = IngestOptions()
        ingest.maxDecompressedBytes = options.maxDecompressedBytes
        ingest.maxRecordBytes = options.maxRecordBytes
        ingest.objects = discovered.objects
        let pipeline = Pipeline(
            engine: engine, ingest: ingest, mappings: formats.mappings, rawInterest: rules.rawInterest,
            frontDoor: formats.frontDoor, onFinding: handle, onDiagnostic: reporter.report)
        var eventsOut: EventWriter? = nil
        var outputFailed = false
        if let path = options.eventsOut {
            do {
                let w = try EventWriter(path: path)
                w.onFailure = { error in
                    Terminal.err(error.description)
                    Terminal.err("trailhound: note: --events-out failed; the scan goes on and exits with status 1")
                    outputFailed = true
                }
                eventsOut = w
                pipeline.onEvent = { w.write($0) }
            } catch {
                Terminal.err(error.description)
                return .failure
            }
        }
        let started = Date()
        scanFiles(files, pipeline)
        pipeline.finish()
        if let eventsOut, !outputFailed {
            do { try eventsOut.close() } catch {
                Terminal.err(error.description)
                outputFailed = true
            }
        }
        if let state {
            do {
                try state.save(baselines: baselines, engine: engine, scanned: files)
                state.close()
            } catch {
                Terminal.err(error.description)
                return .failure
            }
        }
        var stats = pipeline.stats
        for (code, n) in reporter.counts where stats.diagnostics[code] == nil { stats.diagnostics[code] = n }
        stats.seconds = Date().timeIntervalSince(started)
        writeOutput()
        if options.summary { for l in stats.summaryLines() { Terminal.err(l) } }
        return outputFailed ? .failure : status(files: discovered.files, stats: stats)
    }

    private func scanFiles(_ files: [InputFile], _ pipeline: Pipeline) {
        let total = files.reduce(Int64(0)) { $0 + ($1.size ?? 0) }
        let bar = options.progress && Terminal.stderrIsTTY ? ProgressBar(totalBytes: total) : nil
        // Objects in S3 keep decode threads waiting on the network: more of them keep it busy.
        let objects = files.contains { S3URL($0.path) != nil }
        let workers = objects ? max(options.workers, options.cloud.inFlight) : options.workers
        pipeline.process(files, workers: workers) { delta in
            bar?.advance(by: delta, files: pipeline.stats.files, events: pipeline.stats.events)
        }
        bar?.finish()
    }

    private func handle(_ f: Finding) {
        if worst == nil || f.severity > worst! { worst = f.severity }
        switch options.format {
        case .json: out.line { FindingFormatter.write(f, into: &$0) }
        case .ocsf: out.line(OCSFFormatter.json(f))
        case .text: textFindings.append(f)
        }
    }

    private func writeOutput() {
        let found = incidents?.finish() ?? []
        if options.format == .json { for i in found { out.line(IncidentFormatter.json(i)) } }
        if options.format == .ocsf {
            for i in found { out.line(OCSFFormatter.detectionFinding(json: IncidentFormatter.json(i)) ?? "{}") }
        }
        if options.format == .text {
            // Text is printed at the end, so each finding can name its incident.
            var incidentOf: [String: String] = [:]
            for i in found { for id in i.findingIds { incidentOf[id] = i.id } }
            for k in textFindings.indices { textFindings[k].incident = incidentOf[textFindings[k].id] }
            let report = TextReport.render(incidents: found, findings: textFindings, width: TextReport.outputWidth())
            for line in report.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
                out.line(String(line))
            }
        }
        out.flush()
    }

    private func status(files: [InputFile], stats: ScanStats) -> ExitStatus {
        if out.failed {
            if let reason = out.failure {
                Terminal.err("trailhound: error: cannot write findings to stdout: \(reason)")
            }
            return .failure
        }
        if files.isEmpty {
            Terminal.err("trailhound: error: no input files found")
            return .failure
        }
        if stats.files > 0 && stats.records == 0 && stats.diagnostics.isEmpty == false && stats.events == 0 {
            Terminal.err("trailhound: warning: no events could be read from the input")
        }
        if let failOn = options.failOn, let worst, worst >= failOn { return .findings }
        return .ok
    }
}
