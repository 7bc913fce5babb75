import Baselines
import Detection
import Detectors
import EventModel
import Foundation
import Ingest
import Investigation
import Runtime
import Testing
import TestSupport

/// The risk correlator and the incident chain are a finding stage and an observer given to the
/// engine at construction: no pseudo-detector, and restoring a saved run gives the same state
/// whatever the order of the restore calls.
@Suite struct EngineExtensionTests {
    static let scenario = Repository.root.appendingPathComponent(
        "corpora/cloudtrail/scenarios/public_app_pivot"
    ).path

    /// Every event of the scenario, in scan order.
    static func events() -> [Event] {
        let decoder = FileDecoder(options: IngestOptions())
        var out: [Event] = []
        for f in InputDiscovery.discover([scenario]).files where !f.isDigest {
            _ = decoder.decode(f) { if case .event(let e) = $0 { out.append(e) } }
        }
        return out
    }

    /// A scan's engine parts: real detectors, the correlator stage and a persistent incident observer.
    struct Run {
        let baselines = BaselineStore()
        let incidents = IncidentBuilder()
        let engine: DetectionEngine
        var out: [String] = []

        init() throws {
            let dir = Repository.root.appendingPathComponent("detectors").path
            let set = DetectorLoader.load(directory: dir, registry: Registry.all)
            #expect(set.issues.isEmpty)
            engine = DetectionEngine(
                detectors: set.detectors, baselines: baselines, stages: [RiskCorrelator()],
                observers: [IncidentChainObserver(builder: incidents, persistent: true)])
        }

        mutating func feed(_ events: ArraySlice<Event>) {
            var lines: [String] = []
            for e in events { engine.process(e) { lines.append(FindingFormatter.json($0)) } }
            out += lines
        }

        /// Findings at the end, then the incidents.
        mutating func finish() -> [String] {
            var lines: [String] = []
            engine.finish { lines.append(FindingFormatter.json($0)) }
            return out + lines + incidents.finish().map(IncidentFormatter.json)
        }
    }

    @Test("the engine counts no pseudo-detector; the incident chain sees events and findings")
    func noPseudoDetector() throws {
        var r = try Run()
        #expect(!r.engine.detectorIds.contains(IncidentChainObserver.key))
        let events = Self.events()
        try #require(events.count > 1000, "scenario \(Self.scenario) is missing")
        r.feed(events[...])
        let lines = r.finish()
        #expect(lines.contains { $0.hasPrefix("{\"type\":\"incident\"") }, "the scenario's pivot is an incident")
    }

    @Test("restore: detectors then baselines, or baselines then detectors, resume like an uninterrupted run")
    func restoreOrderIndependent() throws {
        let events = Self.events()
        try #require(events.count > 1000, "scenario \(Self.scenario) is missing")
        let k = events.count / 2
        var whole = try Run()
        whole.feed(events[...])
        let expected = whole.finish()
        var first = try Run()
        first.feed(events[..<k])
        let states = first.engine.snapshotDetectors()
        let saved = first.baselines.snapshot()
        #expect(states[IncidentChainObserver.key] != nil, "open incidents are saved")
        var results: [[String]] = []
        for detectorsFirst in [true, false] {
            var next = try Run()
            if detectorsFirst { next.engine.restoreDetectors(states) }
            try next.baselines.restore(saved)
            if !detectorsFirst { next.engine.restoreDetectors(states) }
            #expect(Set(next.engine.snapshotDetectors().keys) == Set(states.keys))
            next.out = first.out
            next.feed(events[k...])
            results.append(next.finish())
        }
        #expect(results[0] == results[1])
        #expect(results[0] == expected)
    }
}
