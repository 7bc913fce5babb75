import Baselines
import Detection
import EventModel
import Testing

@Suite struct DetectionEngineTests {
    /// An engine over the given probe configs (each must load cleanly).
    func engine(_ yamls: String...) throws -> (DetectionEngine, [ProbeDetector]) {
        var loaded: [LoadedDetector] = []
        for y in yamls {
            let (d, issues) = loadProbe(y)
            #expect(issues.isEmpty, "\(issues)")
            loaded.append(try #require(d))
        }
        return (
            DetectionEngine(detectors: loaded, baselines: BaselineStore()),
            loaded.compactMap { $0.detector as? ProbeDetector }
        )
    }

    func run(_ engine: DetectionEngine, _ events: [Event]) -> [Finding] {
        var out: [Finding] = []
        for e in events { engine.process(e) { out.append($0) } }
        return out
    }

    @Test func routesByOperation() throws {
        let (e, probes) = try engine(
            probeYAML("dedup_window: 0s\nsettings:\n  operations: [A, B]\n"),
            probeYAML(id: "test.all", "dedup_window: 0s\n"))
        let out = run(e, [Events.make("A"), Events.make("C"), Events.make("B")])
        #expect(probes[0].seen == ["A", "B"])
        #expect(probes[1].seen == ["A", "C", "B"])
        #expect(out.count == 5)
        #expect(e.stats.events == 3)
        #expect(e.stats.findingsByDetector == ["test.probe": 2, "test.all": 3])
        #expect(e.detectorIds == ["test.probe", "test.all"])
    }

    @Test func findingsCarryIdentityEventAndSignal() throws {
        let (e, _) = try engine(probeYAML())
        let ev = Events.make("Probe", minute: 3, role: "web", params: ["key": "k1"])
        let f = try #require(run(e, [ev]).first)
        #expect(f.detector == "test.probe")
        #expect(f.severity == .high)
        #expect(f.identity == "arn:aws:iam::111122223333:role/web")
        #expect(f.identityType == .assumedRole)
        #expect(f.account == "111122223333")
        #expect(f.firstSeen == ev.time && f.lastSeen == ev.time)
        #expect(f.eventIds == [ev.eventId])
        #expect(f.key == "k1")
        #expect(f.title == "probe saw Probe")
        #expect(f.mitre == ["T0000"])
        #expect(e.watermark == ev.time)
    }

    @Test func duplicateDeliveriesAreDropped() throws {
        let (e, probes) = try engine(probeYAML("dedup_window: 0s\n"))
        let out = run(
            e,
            [
                Events.make("Probe", id: "same"), Events.make("Probe", id: "same"), Events.make("Probe", id: ""),
                Events.make("Probe", id: ""),
            ])
        #expect(out.count == 3, "events without an id are never duplicates")
        #expect(probes[0].seen.count == 3)
        #expect(e.stats.duplicates == 1)
    }

    @Test func failedAttemptsUseFailedSeverity() throws {
        let (e, _) = try engine(probeYAML("failed_severity: medium\ndedup_window: 0s\n"))
        let out = run(e, [Events.make("Probe", error: "AccessDenied"), Events.make("Probe")])
        #expect(out.map(\.severity) == [.medium, .high])
        let (low, _) = try engine(
            probeYAML("failed_severity: critical\n").replacingOccurrences(of: "severity: high", with: "severity: low"))
        #expect(
            run(low, [Events.make("Probe", error: "AccessDenied")]).first?.severity == .low,
            "never raised above severity")
    }

    @Test func allowlistSuppressesAndExpiredEntriesDoNot() throws {
        let (e, _) = try engine(
            probeYAML(
                """
                dedup_window: 0s
                allowlist:
                  - resource: "arn:aws:s3:::logs-*"
                    reason: log buckets
                  - identity: "*:role/web"
                    source: 10.0.0.0/8
                    reason: web tier
                    expires: 2025-12-31
                """))
        let out = run(
            e,
            [
                Events.make("Probe", params: ["resource": "arn:aws:s3:::logs-2026"]),
                Events.make("Probe", params: ["resource": "arn:aws:s3:::data"]),
                Events.make("Probe", role: "web", ip: "10.1.1.1"),
            ])
        #expect(out.count == 2)
        #expect(e.stats.allowlisted == 1)
    }

    @Test func dedupFoldsWithinTheWindow() throws {
        let (e, _) = try engine(probeYAML("dedup_window: 1h\n"))
        let out = run(
            e, [Events.make("Probe", minute: 0), Events.make("Probe", minute: 5), Events.make("Probe", minute: 59)])
        #expect(out.count == 1)
        var flushed: [Finding] = []
        e.finish { flushed.append($0) }
        #expect(flushed.map(\.count) == [2])
        #expect(e.stats.folded == 2)
        #expect(e.stats.findingsByDetector["test.probe"] == 2)
    }

    @Test func disabledDetectorsDoNotRun() throws {
        let (e, probes) = try engine(probeYAML("enabled: false\n"))
        #expect(run(e, [Events.make("Probe")]).isEmpty)
        #expect(probes[0].seen.isEmpty)
        #expect(e.detectorIds.isEmpty)
    }

    @Test func finishFlushesPendingDetectorSignals() throws {
        let (e, _) = try engine(probeYAML("settings:\n  pending_on_finish: true\n"))
        _ = run(e, [Events.make("Other", minute: 7)])
        var flushed: [Finding] = []
        e.finish { flushed.append($0) }
        let f = try #require(flushed.first)
        #expect(f.identity == "arn:aws:iam::1:role/pending")
        #expect(f.key == "window")
        #expect(f.lastSeen == Events.t0 + 7 * 60_000)
    }

    /// Raises every finding to critical and notes it.
    final class Escalate: FindingStage {
        var seen = 0
        let stateKey: String? = "test.escalate"
        func process(_ f: inout Finding) {
            seen += 1
            f.severity = .critical
            f.facts.append(Fact("correlated", "yes"))
        }
        func snapshot() -> [UInt8]? { [UInt8(seen)] }
        func restore(_ bytes: [UInt8]) { seen = Int(bytes.first ?? 0) }
    }

    /// Counts the events and findings it is shown.
    final class Watcher: EngineObserver {
        let operations: [String]?
        var events: [String] = []
        var found: [String] = []
        init(_ operations: [String]?) { self.operations = operations }
        let stateKey: String? = nil
        func observe(_ event: Event) { events.append(event.eventId) }
        func found(_ finding: Finding) { found.append(finding.detector) }
        func snapshot() -> [UInt8]? { nil }
        func restore(_ bytes: [UInt8]) {}
    }

    @Test func stagesSeeEveryFindingAndKeepTheirState() throws {
        let (loaded, _) = loadProbe(probeYAML("dedup_window: 0s\n"))
        let stage = Escalate()
        let e = DetectionEngine(detectors: [try #require(loaded)], baselines: BaselineStore(), stages: [stage])
        let out = run(e, [Events.make("Probe"), Events.make("Probe")])
        #expect(out.map(\.severity) == [.critical, .critical])
        #expect(e.stats.findingsBySeverity[.critical] == 2)
        let saved = e.snapshotDetectors()
        #expect(saved["test.escalate"] == [2])
        let again = Escalate()
        let f = DetectionEngine(detectors: [try #require(loaded)], baselines: BaselineStore(), stages: [again])
        f.restoreDetectors(saved)
        #expect(again.seen == 2)
    }

    @Test func observersSeeEachEventOnceAndEveryFinding() throws {
        let (loaded, _) = loadProbe(probeYAML("dedup_window: 0s\n"))
        let all = Watcher(nil)
        let probes = Watcher(["Probe"])
        let e = DetectionEngine(
            detectors: [try #require(loaded)], baselines: BaselineStore(), observers: [all, probes])
        let events = [Events.make("Probe", id: "a"), Events.make("Other", id: "b"), Events.make("Probe", id: "a")]
        let out = run(e, events)
        #expect(all.events == ["a", "b"], "the duplicate delivery is not shown")
        #expect(probes.events == ["a"])
        #expect(all.found == out.map(\.detector) && probes.found.count == out.count && !out.isEmpty)
        #expect(e.detectorIds == ["test.probe"])
    }
}

/// A detector a rule set decides in the decoders (set 7, rule 2): counts the events it is shown.
private final class PrematchedProbe: Detector {
    let id = "test.prematched"
    let interest = Interest.all
    let prematched: (set: UInt64, index: UInt32)? = (set: 7, index: 2)
    var shown: [String] = []

    func evaluate(_ event: Event, context: DetectionContext, into signals: inout [Signal]) {
        shown.append(event.action.operation)
    }
}

@Suite struct PrematchedRoutingTests {
    /// The engine skips a prematched detector on an event its own set decided against, and shows
    /// it every other event: one its set matched, one another set decided, one with no verdicts.
    @Test func skipsOnlyWhatItsOwnSetRuledOut() {
        let probe = PrematchedProbe()
        let spec = DetectorSpec(id: probe.id, severity: .low)
        let engine = DetectionEngine(
            detectors: [LoadedDetector(spec: spec, detector: probe)], baselines: BaselineStore())
        func event(_ op: String, _ hits: RuleHits?) -> Event {
            var e = Events.make(op)
            e.ruleHits = hits
            return e
        }
        let events = [
            event("Ruled", RuleHits(set: 7, rules: [0, 1, 3])), event("Hit", RuleHits(set: 7, rules: [1, 2])),
            event("OtherSet", RuleHits(set: 8, rules: [])), event("Undecided", nil),
        ]
        for e in events { engine.process(e) { _ in } }
        #expect(probe.shown == ["Hit", "OtherSet", "Undecided"])
    }
}
