import Baselines
import Detection
import EventModel
import Foundation
import Testing

/// The engine's fold path (a repeat counted in its open dedup group without building a finding)
/// must be invisible: the same stream gives the same findings, counters and saved state with it
/// and without it. A second, no-op stage closes the fold path, so the second engine always takes
/// the full path (correlate, quarantine check, dedup offer).
@Suite struct FoldPathTests {
    /// A stage that changes nothing (its presence turns the fold path off).
    final class PassThrough: FindingStage {
        var stateKey: String? { nil }
        func process(_ finding: inout Finding) {}
        func snapshot() -> [UInt8]? { nil }
        func restore(_ bytes: [UInt8]) {}
    }

    static let configs = [
        "version: 1\nid: test.all\nseverity: low\nfailed_severity: info\ndedup_window: 1h\n",
        "version: 1\nid: test.probe\nseverity: low\ndedup_window: 10m\n",
    ]

    func engine(foldPath: Bool, deferWording: Bool = false) throws -> (DetectionEngine, RiskCorrelator, [ProbeDetector])
    {
        let configs = Self.configs.map { deferWording ? $0 + "settings:\n  defer_wording: true\n" : $0 }
        let loaded = try configs.map { yaml in
            let (d, issues) = loadProbe(yaml)
            #expect(issues.isEmpty, "\(issues)")
            return try #require(d)
        }
        let correlator = RiskCorrelator()
        let stages: [any FindingStage] = foldPath ? [correlator] : [correlator, PassThrough()]
        let engine = DetectionEngine(detectors: loaded, baselines: BaselineStore(), stages: stages)
        return (engine, correlator, loaded.compactMap { $0.detector as? ProbeDetector })
    }

    /// Three roles over five hours: every event fires `test.all` (low, folded for an hour), every
    /// third is a `Probe` call (a second detector, so the correlator raises some findings), some
    /// fail (failed severity), some repeat an event id (duplicate deliveries), keys vary.
    static func stream() -> [Event] {
        (0..<600).map { i in
            let role = ["app", "etl", "web"][i % 3]
            let op = i % 3 == 0 ? "Probe" : "Describe\(i % 5)"
            return Events.make(
                op, minute: i / 2, role: role, error: i % 17 == 0 ? "AccessDenied" : "",
                params: ["key": "k\(i % 4)"], id: i % 29 == 0 ? "dup-\(i / 58)" : "e\(i)")
        }
    }

    func lines(_ findings: [Finding]) throws -> [String] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return try findings.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
    }

    /// A detector may raise its repeats without words (`Signal.wordingDeferred`): the engine asks
    /// for them only when it builds a finding, so the findings are those of a detector that wrote
    /// them every time, whether the fold path is open or not.
    @Test func deferredWordsAreAskedForOnlyWhenAFindingIsBuilt() throws {
        var outputs: [[String]] = []
        var asked: [(worded: Int, raised: Int)] = []
        for (foldPath, deferWording) in [(true, false), (true, true), (false, true)] {
            let (engine, _, probes) = try engine(foldPath: foldPath, deferWording: deferWording)
            var out: [Finding] = []
            for e in Self.stream() { engine.process(e) { out.append($0) } }
            engine.finish { out.append($0) }
            outputs.append(try lines(out))
            asked.append((probes.reduce(0) { $0 + $1.worded }, probes.reduce(0) { $0 + $1.raised }))
        }
        #expect(outputs[0] == outputs[1])
        #expect(outputs[0] == outputs[2])
        #expect(outputs[0].contains { $0.contains("probe saw") }, "the words are there")
        #expect(asked[0].worded == 0, "a detector that writes its words is never asked")
        // With the fold path open, folded repeats are never worded; closed, every signal is.
        #expect(asked[1].worded > 0 && asked[1].worded < asked[1].raised, "\(asked)")
        #expect(asked[2].worded == asked[2].raised, "\(asked)")
    }

    @Test func foldPathChangesNothingVisible() throws {
        var outputs: [[String]] = []
        var states: [[String: [UInt8]]] = []
        var counters: [[Int]] = []
        for foldPath in [true, false] {
            let (engine, correlator, _) = try engine(foldPath: foldPath)
            var out: [Finding] = []
            for e in Self.stream() { engine.process(e) { out.append($0) } }
            engine.finish { out.append($0) }
            outputs.append(try lines(out))
            states.append(engine.snapshotDetectors())
            let s = engine.stats
            counters.append([
                s.folded, s.duplicates, s.allowlisted, correlator.raised,
                s.findingsBySeverity[.low] ?? 0, s.findingsBySeverity[.medium] ?? 0, s.findingsBySeverity[.info] ?? 0,
            ])
        }
        #expect(outputs[0] == outputs[1])
        #expect(states[0] == states[1])
        #expect(counters[0] == counters[1])
        // The stream exercises what the fold path has to get right.
        #expect(counters[0][0] > 300, "most repeats fold")
        #expect(counters[0][3] > 0, "the correlator raised some findings")
        #expect(counters[0][1] > 0, "duplicate deliveries were dropped")
        #expect(outputs[0].contains { $0.contains("repeat_count") }, "follow-ups carry the folded counts")
    }
}
