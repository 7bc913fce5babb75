import Baselines
import Detection
import Detectors
import EventModel
import Formats
import Foundation
import Ingest
import Investigation
import Runtime
import Sigma
import StateStore

/// The service's single detection thread: polls the inputs, decodes and
/// detects in order, and checkpoints. Findings are held in the journal until
/// the checkpoint that covers their events has committed (baselines, detector
/// windows, input offsets and the journal in ONE transaction); only then are
/// they moved to the outbox, from which the sinks deliver. So a crash at any
/// moment replays from the last checkpoint without skipping an event, and a
/// finding reaches the sinks only once its events are durably accounted for.
final class WatchEngine: @unchecked Sendable {
    private let config: WatchConfig
    private let store: StateStore
    private let outbox: Outbox
    let shared: Shared
    private let baselines: BaselineStore
    private let correlator = RiskCorrelator()
    let ingest: IngestOptions
    let decoder: FileDecoder
    private let mappings: [WorkflowMapping]
    private let frontDoor: FrontDoorConfig
    private var engine: DetectionEngine
    /// Incident grouping (`incidents: true`), fed by a chain observer given to the engine.
    private let incidents: IncidentBuilder?
    var pipeline: Pipeline!
    private var journal = Journal()
    private var tails: [TailFollower] = []
    private var dirs: [DirectoryWatcher] = []
    /// SQS inputs (set by `WatchService` before `run`); their messages are read by `stepQueues`.
    var queues: [SQSInput] = []
    var eventLog: EventLog?
    private let printer: DiagnosticPrinter
    private var fullSnapshotNext = false
    private var lastCheckpoint = Date().timeIntervalSince1970
    var dirty = false
    private var nextDirectoryPoll = 0.0
    private var checkpointsSincePrune = 0
    private let control = Locked(Control())
    /// Wakes the loop early (stop, reload).
    let wakeup = Wakeup()
    /// Called after findings reached the outbox.
    var onCommitted: () -> Void = {}
    /// Names of the sinks (outbox rows all of them delivered are pruned).
    var sinkNames: [String] = []

    /// Loads detectors and state; throws a printable message when the service cannot start.
    init(
        config: WatchConfig, detectors: [LoadedDetector], rules: SigmaRuleSet, mappings: [WorkflowMapping],
        frontDoor: FrontDoorConfig = FrontDoorConfig(), store: StateStore, outbox: Outbox, shared: Shared
    ) throws {
        self.mappings = mappings
        self.frontDoor = frontDoor
        self.config = config
        self.store = store
        self.outbox = outbox
        self.shared = shared
        self.printer = DiagnosticPrinter(perMinute: config.diagnosticsPerMinute)
        var ingest = IngestOptions()
        ingest.maxRecordBytes = config.maxRecordBytes
        ingest.maxDecompressedBytes = config.maxDecompressedBytes
        self.ingest = ingest
        self.decoder = FileDecoder(
            options: ingest, mappings: mappings, rawInterest: rules.rawInterest, frontDoor: frontDoor)
        baselines = BaselineStore(configuration: config.baselines)
        NetworkClassLoader.install(into: baselines, detectorsDirectory: config.detectorsDirectory) {
            Terminal.err($0.description)
        }
        incidents = config.incidents ? IncidentBuilder() : nil
        engine = DetectionEngine(
            detectors: detectors + rules.detectors, baselines: baselines, stages: [correlator],
            observers: Self.observers(incidents))
        try restore()
        pipeline = makePipeline()
        shared.metrics.with { $0.detectorsEnabled = detectorCount }
    }

    private var detectorCount: Int { engine.detectorIds.count }

    /// The incident chain observer, if incidents are on (open incidents are saved with the detector states).
    private static func observers(_ b: IncidentBuilder?) -> [any EngineObserver] {
        b.map { [IncidentChainObserver(builder: $0, persistent: true)] } ?? []
    }

    private func makePipeline() -> Pipeline {
        Pipeline(
            engine: engine, ingest: ingest, mappings: mappings, rawInterest: decoder.rawInterest, frontDoor: frontDoor,
            onFinding: { [unowned self] in self.journalFinding($0) },
            onDiagnostic: { [unowned self] in self.diagnose($0) })
    }

    /// Restores baselines, detector windows, the journal (moved to the outbox again) and input positions.
    private func restore() throws {
        try store.restore(into: baselines)
        let saved = try store.loadDetectors()
        engine.restoreDetectors(saved)
        let j = Journal.decode(saved[Journal.key]) ?? Journal()
        try outbox.add(j.findings)
        journal.nextSeq = max(j.nextSeq, try outbox.maxSeq() + 1)
        journal.tails = j.tails
        if let path = config.eventLogPath { eventLog = try EventLog(path: path, truncateTo: j.eventLogSize ?? 0) }
        for e in try outbox.newest(shared.recent.with { $0.capacity }) { shared.recent.with { $0.add(e) } }
        for input in config.inputs { try addInput(input) }
    }

    private func addInput(_ input: WatchConfig.Input) throws {
        var isDir: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: input.path, isDirectory: &isDir)
        if input.kind == .directory || (input.kind == .auto && exists && isDir.boolValue) {
            dirs.append(DirectoryWatcher(root: input.path, settle: Double(config.settle) / 1000))
            return
        }
        let saved = try store.position(path: input.path)
        tails.append(
            TailFollower(
                path: input.path, options: ingest, decoder: decoder, saved: saved,
                mark: journal.tails[input.path], startAtEnd: input.startAtEnd
            ) { [unowned self] in self.diagnose($0) })
    }

    /// What is watched, for the start-up line.
    var summary: String {
        "following \(tails.count) file(s), watching \(dirs.count) directory(ies)"
            + (queues.isEmpty ? "" : " and \(queues.count) queue(s)")
            + ", \(detectorCount) detector(s), next seq \(journal.nextSeq)"
    }

    /// Asks the loop to stop after the current step (final checkpoint included).
    func requestStop() {
        control.with { $0.stop = true }
        wakeup.signal()
    }

    /// Asks the loop to reload the detector config before its next step.
    func requestReload() {
        control.with { $0.reload = true }
        wakeup.signal()
    }

    /// The loop; returns after a stop request (or when idle with `exitWhenIdle`).
    func run() {
        var idleRounds = 0
        while true {
            let c = control.with { c -> Control in
                defer { c.reload = false }
                return c
            }
            if c.stop { break }
            if c.reload { reload() }
            let progressed = step()
            publish()
            maybeCheckpoint()
            if config.exitWhenIdle {
                let settling = dirs.contains { $0.waiting > 0 } || tails.contains { $0.replaced } || !queuesDrained
                idleRounds = progressed || settling ? 0 : idleRounds + 1
                if idleRounds >= 3 { break }
            }
            if !progressed { wakeup.wait(seconds: Double(config.pollInterval) / 1000) }
        }
        if config.exitWhenIdle {
            pipeline.finish()
            for i in incidents?.finish() ?? [] { journalIncident(i) }
        }
        shutdownCheckpoint()
    }

    /// One pass over the inputs; true when anything was read.
    private func step() -> Bool {
        var progressed = false
        for t in tails {
            let n = t.poll(budget: 1 << 20, handle)
            if n > 0 {
                progressed = true
                dirty = true
                shared.metrics.with { $0.bytes += n }
            }
        }
        if stepQueues() { progressed = true }
        let now = Date().timeIntervalSince1970
        if now >= nextDirectoryPoll {
            nextDirectoryPoll = now + Double(config.directoryPoll) / 1000
            for d in dirs {
                for f in d.ready(now: now, isDone: isDone) {
                    readWholeFile(f, d)
                    progressed = true
                    if control.with({ $0.stop }) { return true }
                }
            }
        }
        return progressed
    }

    private func isDone(_ path: String, _ size: Int64) -> Bool {
        (try? store.isDone(path: path, size: size)) ?? false
    }

    /// A directory file: read whole, then marked done in the checkpoint that holds its events.
    private func readWholeFile(_ f: InputFile, _ d: DirectoryWatcher) {
        pipeline.process(f)
        d.markDone(f)
        store.markDone(path: f.path, size: f.size ?? 0)
        shared.metrics.with {
            $0.bytes += f.size ?? 0
            $0.filesDone += 1
        }
        dirty = true
        checkpoint()
    }

    private func handle(_ item: DecodedItem) {
        if case .event(let e) = item { eventLog?.append(e.eventId) }
        pipeline.handle(item)
    }

    private func journalFinding(_ f: Finding) {
        journal(
            FindingFormatter.json(f), detector: f.detector, severity: f.severity, identity: f.identity,
            lastSeen: f.lastSeen)
    }

    /// An incident that opened, changed or closed becomes an outbox record like a finding (its own
    /// `seq`, detector `#incident`; the same `id` each time, with its `status`).
    private func journalIncident(_ i: Incident) {
        journal(
            IncidentFormatter.json(i), detector: Self.incidentDetector, severity: i.severity, identity: i.root,
            lastSeen: i.lastSeen)
    }

    /// Gives a JSON object line the next `seq` (appended as its last key) and holds it in the journal.
    private func journal(_ json: String, detector: String, severity: Severity, identity: String, lastSeen: Int64) {
        let seq = journal.nextSeq
        journal.nextSeq += 1
        var line = json
        line.removeLast()
        line += ",\"seq\":\(seq)}"
        journal.findings.append(
            OutboxEntry(
                seq: seq, detector: detector, severity: severity.rawValue, identity: identity, lastSeen: lastSeen,
                json: line))
    }

    /// Detector name of incident records in the outbox (no detector id has this form).
    static let incidentDetector = "#incident"

    func diagnose(_ d: Diagnostic) {
        shared.metrics.with { $0.diagnostics[d.code, default: 0] += 1 }
        if d.level != .note || d.code.hasPrefix("tail.") { printer.print(d, now: Date().timeIntervalSince1970) }
    }

    private func publish() {
        let backlog = tails.reduce(Int64(0)) { $0 + $1.backlog }
        let events = pipeline.stats.events
        shared.metrics.with {
            $0.events += events - lastEvents
            $0.backlogBytes = backlog
            if engine.watermark > $0.newestEventTime { $0.newestEventTime = engine.watermark }
        }
        lastEvents = events
    }
    private var lastEvents = 0

    /// Duration of the last checkpoint (ms). A checkpoint costs about 10 µs per identity changed
    /// since the previous one (~1 s at 100,000), and ingestion waits meanwhile; so periodic
    /// checkpoints wait at least 9× that long (at most a tenth of the time), and the commit of
    /// waiting findings at least as long (at most half of it, during a storm of findings).
    private var lastCheckpointMillis = 0.0

    private func maybeCheckpoint() {
        let age = (Date().timeIntervalSince1970 - lastCheckpoint) * 1000
        if !journal.findings.isEmpty && age >= max(Double(config.findingsCommit), lastCheckpointMillis) {
            checkpoint()
        } else if dirty && age >= max(Double(config.checkpointInterval), 9 * lastCheckpointMillis) {
            checkpoint()
        }
    }

    /// Commits baselines, detector windows, offsets and the journal together,
    /// then moves the journal's findings to the outbox.
    func checkpoint() {
        let started = Date().timeIntervalSince1970
        pipeline.closeExpired()
        if let incidents, engine.watermark != .min {
            for i in incidents.update(watermark: engine.watermark) { journalIncident(i) }
        }
        for t in tails {
            guard let (pos, mark) = t.checkpoint else { continue }
            store.setPosition(pos)
            journal.tails[t.path] = mark
        }
        eventLog?.flush()
        journal.eventLogSize = eventLog?.size
        var states = engine.snapshotDetectors()
        states[Journal.key] = journal.encoded()
        let snap = fullSnapshotNext ? baselines.snapshot() : baselines.snapshotChanges()
        do {
            try store.checkpoint(baselines: snap, detectors: states)
        } catch {
            fullSnapshotNext = true
            shared.metrics.with { $0.checkpointFailures += 1 }
            printer.print(error.diagnostic, now: started)
            return
        }
        fullSnapshotNext = false
        dirty = false
        for q in queues { q.committed() }
        let now = Date().timeIntervalSince1970
        lastCheckpoint = now
        lastCheckpointMillis = (now - started) * 1000
        release(started: started, now: now)
    }

    /// After a commit: findings to the outbox (kept in the journal if that fails), the ring and the counters.
    private func release(started: Double, now: Double) {
        let committed = journal.findings
        shared.metrics.with {
            $0.checkpoints += 1
            $0.lastCheckpointSeconds = now - started
            $0.lastCheckpointTime = now
        }
        guard !committed.isEmpty else { return }
        do {
            try outbox.add(committed)
        } catch {
            printer.print(
                Diagnostic(
                    origin: Origin(path: store.path, record: 0), code: "state.write",
                    message: "cannot add findings to the outbox (kept for the next checkpoint): \(error)"), now: now)
            return
        }
        journal.findings.removeAll()
        checkpointsSincePrune += 1
        if checkpointsSincePrune >= 20 {
            checkpointsSincePrune = 0
            _ = try? outbox.prune(sinks: sinkNames, keep: shared.recent.with { $0.capacity })
        }
        shared.recent.with { r in for e in committed { r.add(e) } }
        shared.metrics.with { m in
            for e in committed where e.detector != Self.incidentDetector {
                let sev = Severity(rawValue: e.severity)?.description ?? "info"
                m.findings[e.detector + "\u{1}" + sev, default: 0] += 1
            }
        }
        onCommitted()
    }

    private func shutdownCheckpoint() {
        for attempt in 0..<5 {
            checkpoint()
            if !fullSnapshotNext && journal.findings.isEmpty { break }
            Thread.sleep(forTimeInterval: 0.2 * Double(attempt + 1))
        }
        for q in queues { q.stop() }
        eventLog?.close()
    }

    static let kept = "the previous detector config stays in force"

    /// SIGHUP: a new detector config replaces the running one only if it loads without a problem.
    private func reload() {
        guard let dir = config.detectorsDirectory else { return }
        let set = DetectorLoader.load(directory: dir, registry: Registry.all)
        let rules = RuleLoading.load(WatchService.ruleDirectories(config, detectors: dir))
        let issues = set.issues + rules.configIssues
        if !issues.isEmpty {
            for i in issues { Terminal.err(i.description) }
            Terminal.err(
                "trailhound: error: reload rejected: \(issues.count) problem(s) in \(dir) or its rules; \(Self.kept)")
            shared.metrics.with { $0.reloads["rejected", default: 0] += 1 }
            return
        }
        publish()
        let states = engine.snapshotDetectors()
        if rules.skipped > 0 { Terminal.err("trailhound: note: \(rules.summary); `trailhound validate` lists why") }
        let next = DetectionEngine(
            detectors: set.detectors + rules.detectors, baselines: baselines, stages: [correlator],
            observers: Self.observers(incidents))
        next.restoreDetectors(states)
        engine = next
        decoder.rawInterest = rules.rawInterest
        pipeline = makePipeline()
        lastEvents = 0
        let enabled = detectorCount
        shared.metrics.with {
            $0.reloads["ok", default: 0] += 1
            $0.detectorsEnabled = enabled
        }
        Terminal.err("trailhound: reloaded detector config from \(dir): \(enabled) detector(s) enabled")
    }
}
