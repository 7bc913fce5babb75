import Baselines
import Detection
import EventModel
import Testing

/// The engine's own memory (recent event ids, open dedup groups, correlation
/// windows, watermark) saved with `snapshotDetectors()` and restored into a
/// fresh engine: a run split at any event gives the findings of one
/// uninterrupted run.
@Suite struct EngineStateTests {
    func engine(_ yamls: [String], correlate: Bool = false) throws -> DetectionEngine {
        var loaded: [LoadedDetector] = []
        for y in yamls {
            let (d, issues) = loadProbe(y)
            #expect(issues.isEmpty, "\(issues)")
            loaded.append(try #require(d))
        }
        return DetectionEngine(
            detectors: loaded, baselines: BaselineStore(), stages: correlate ? [RiskCorrelator()] : [])
    }

    /// `detector identity key severity count first..last [ids]` per finding, in emission order.
    func lines(_ out: [Finding]) -> [String] {
        out.map {
            "\($0.detector) \($0.identity) \($0.key) \($0.severity) ×\($0.count) \($0.firstSeen)..\($0.lastSeen) "
                + "\($0.eventIds) \($0.title) \($0.facts.map { "\($0.name)=\($0.value)" })"
        }
    }

    /// Findings of one run over `events` (finish included).
    func whole(_ yamls: [String], _ events: [Event], correlate: Bool = false) throws -> [Finding] {
        let e = try engine(yamls, correlate: correlate)
        var out: [Finding] = []
        for ev in events { e.process(ev) { out.append($0) } }
        e.finish { out.append($0) }
        return out
    }

    /// Findings of a run stopped after `k` events, saved, and resumed in a fresh engine.
    func split(_ yamls: [String], _ events: [Event], at k: Int, correlate: Bool = false) throws -> [Finding] {
        let a = try engine(yamls, correlate: correlate)
        var out: [Finding] = []
        for ev in events[..<k] { a.process(ev) { out.append($0) } }
        let saved = a.snapshotDetectors()
        let b = try engine(yamls, correlate: correlate)
        b.restoreDetectors(saved)
        #expect(b.watermark == a.watermark)
        for ev in events[k...] { b.process(ev) { out.append($0) } }
        b.finish { out.append($0) }
        return out
    }

    /// Repeats inside a 1 h dedup window, a duplicate delivery, a second key, then a repeat after the window.
    var stream: [Event] {
        [
            Events.make("Probe", minute: 0, id: "e1"), Events.make("Probe", minute: 5, id: "e2"),
            Events.make("Probe", minute: 6, id: "e2"), Events.make("Probe", minute: 7, params: ["key": "k2"], id: "e3"),
            Events.make("Probe", minute: 30, id: "e4"), Events.make("Probe", minute: 90, id: "e5"),
            Events.make("Probe", minute: 95, id: "e6"),
        ]
    }

    @Test("every split point gives the uninterrupted run's findings (dedup groups and duplicate ids kept)")
    func splitEqualsWhole() throws {
        let yamls = [probeYAML("dedup_window: 1h\n")]
        let expected = lines(try whole(yamls, stream))
        #expect(expected.count == 4, "the second key folds into the first finding of the identity")
        for k in 1..<stream.count {
            #expect(lines(try split(yamls, stream, at: k)) == expected, "split at \(k)")
        }
    }

    @Test("without the engine entry a resumed run reports the repeat again (what the state fixes)")
    func withoutEngineStateRepeats() throws {
        let yamls = [probeYAML("dedup_window: 1h\n")]
        let a = try engine(yamls)
        for ev in stream[..<2] { a.process(ev) { _ in } }
        var saved = a.snapshotDetectors()
        saved[DetectionEngine.stateKey] = nil
        let b = try engine(yamls)
        b.restoreDetectors(saved)
        var out: [Finding] = []
        b.process(stream[2]) { out.append($0) }
        #expect(out.count == 1)
    }

    @Test("correlation windows survive: a second detector after the restart is raised")
    func correlationSurvives() throws {
        let yamls = [probeYAML("dedup_window: 0s\n"), probeYAML(id: "test.all", "dedup_window: 0s\n")]
        let events = [
            Events.make("Probe", minute: 0, params: ["key": "a"], id: "c1"),
            Events.make("Other", minute: 3, id: "c2"),
        ]
        let expected = lines(try whole(yamls, events, correlate: true))
        #expect(expected.contains { $0.contains("risk_score") })
        #expect(lines(try split(yamls, events, at: 1, correlate: true)) == expected)
    }

    @Test("a finished batch keeps its dedup groups: the next batch's repeat folds")
    func finishKeepsGroups() throws {
        let e = try engine([probeYAML("dedup_window: 1h\n")])
        var out: [Finding] = []
        e.process(Events.make("Probe", minute: 0)) { out.append($0) }
        e.process(Events.make("Probe", minute: 5)) { out.append($0) }
        e.finish { out.append($0) }
        #expect(out.map(\.count) == [1, 1])
        e.process(Events.make("Probe", minute: 20)) { out.append($0) }
        e.process(Events.make("Probe", minute: 80)) { out.append($0) }
        e.finish { out.append($0) }
        #expect(out.map(\.count) == [1, 1, 1, 1], "minute 20 folded, reported at finish; minute 80 is new")
        #expect(out[2].title.contains("repeated 1×"))
    }

    @Test("garbage, truncated or foreign bytes leave the engine as it was")
    func badBytesAreIgnored() throws {
        let a = try engine([probeYAML("dedup_window: 1h\n")], correlate: true)
        for ev in stream { a.process(ev) { _ in } }
        let good = a.snapshotState()
        for bad in [[], [99], Array(good.prefix(good.count / 2)), [UInt8](repeating: 0xFF, count: 64)] {
            let b = try engine([probeYAML("dedup_window: 1h\n")], correlate: true)
            #expect(!b.restoreState(bad))
            #expect(b.watermark == .min)
            var out: [Finding] = []
            b.process(Events.make("Probe", minute: 0, id: "e1")) { out.append($0) }
            #expect(out.count == 1)
        }
        let c = try engine([probeYAML("dedup_window: 1h\n")], correlate: true)
        #expect(c.restoreState(good))
        #expect(c.snapshotState() == good)
    }
}
