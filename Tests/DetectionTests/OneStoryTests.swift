import Baselines
import Config
import Detection
import EventModel
import Testing

/// Issue 10 part 3, "one attack, one story": one event gives one finding, first-time
/// APIs of a burst fold into one finding, correlation raises one step on independent
/// evidence only, follow-ups never start before their original.
@Suite struct OneStoryTests {
    /// `identity.new_api` played by a probe over every event, plus the rule probe `test.probe`.
    static let registry: [any BuiltInDetector.Type] = [Probe<NewAPIFacts>.self] + probeRegistry

    func engine(_ yamls: String...) throws -> DetectionEngine {
        var loaded: [LoadedDetector] = []
        for y in yamls {
            let sink = IssueSink()
            let d = DetectorLoader.load(yaml: y, file: "t.yaml", registry: Self.registry, sink: sink)
            #expect(sink.issues.isEmpty, "\(sink.issues)")
            loaded.append(try #require(d))
        }
        return DetectionEngine(detectors: loaded, baselines: BaselineStore())
    }

    func run(_ e: DetectionEngine, _ events: [Event]) -> [Finding] {
        var out: [Finding] = []
        for ev in events { e.process(ev) { out.append($0) } }
        e.finish { out.append($0) }
        return out
    }

    let newAPI = "version: 1\nid: identity.new_api\nseverity: medium\n"

    @Test("a rule finding on an event absorbs the first-time-API finding and says so")
    func ruleAbsorbsNewAPI() throws {
        let e = try engine(newAPI, probeYAML())
        let out = run(e, [Events.make("Probe", minute: 0)])
        #expect(out.map(\.detector) == ["test.probe"])
        #expect(out.first?.facts.contains(Fact("first_time_api", "true")) == true)
    }

    @Test("first-time APIs of one identity within one burst fold into one finding listing them")
    func burstFolds() throws {
        let e = try engine(newAPI)
        let out = run(
            e,
            [
                Events.make("ListUsers", minute: 0), Events.make("ListRoles", minute: 2),
                Events.make("GetAccountSummary", minute: 5), Events.make("ListUsers", minute: 1, role: "other"),
                Events.make("DescribeTrails", minute: 90),
            ])
        let app = out.filter { $0.identity.hasSuffix("role/app") }.sorted { $0.firstSeen < $1.firstSeen }
        #expect(app.count == 2)
        #expect(app[0].facts.first { $0.name == "apis" }?.value == "ListUsers,ListRoles,GetAccountSummary")
        #expect(app[0].count == 3 && app[0].eventIds.count == 3)
        #expect(app[0].title.contains("and 2 other API(s)"))
        #expect(app[1].key == "DescribeTrails" && app[1].count == 1)
        #expect(out.filter { $0.identity.hasSuffix("role/other") }.count == 1)
    }

    func finding(_ detector: String, _ severity: Severity, _ ids: [String], key: String = "k", minute: Int64 = 0)
        -> Finding
    {
        Finding(
            detector: detector, severity: severity, identity: "arn:aws:iam::1:role/x", identityType: .assumedRole,
            account: "1", firstSeen: Events.t0 + minute * 60_000, lastSeen: Events.t0 + minute * 60_000,
            eventIds: ids, title: "t", explanation: "e", key: key)
    }

    @Test("correlation raises one step, never above medium, and only on other detectors' different evidence")
    func correlationIsCalibrated() {
        let c = RiskCorrelator()
        var a = finding("a.one", .low, ["e1"])
        c.correlate(&a)
        #expect(a.severity == .low)
        var sameEvidence = finding("b.two", .low, ["e1"])
        c.correlate(&sameEvidence)
        #expect(sameEvidence.severity == .low, "same evidence is not a second opinion")
        var other = finding("c.three", .low, ["e2"], minute: 1)
        c.correlate(&other)
        #expect(other.severity == .medium, "one step, not two, with two other detectors")
        var high = finding("d.four", .high, ["e3"], minute: 2)
        c.correlate(&high)
        #expect(high.severity == .high, "correlation never makes a finding high or critical")
        #expect(high.facts.contains { $0.name == "correlated_detectors" })
    }

    @Test("a folded follow-up never starts before its original and is an update, not a new alarm")
    func followUpTimes() {
        var t = FindingThrottle()
        let first = finding("a.one", .high, ["e2"], minute: 5)
        #expect(t.offer(first, window: 3_600_000) != nil)
        #expect(t.offer(finding("a.one", .high, ["e1"], minute: 3), window: 3_600_000) == nil)
        let up = t.close(before: nil)
        #expect(up.count == 1)
        #expect(up[0].firstSeen >= first.firstSeen)
        #expect(up[0].severity == .low)
        #expect(up[0].facts.contains(Fact("follows", first.id)))
    }

    @Test("a repeat more severe than the first finding is emitted, not folded")
    func severeRepeatIsNews() {
        var t = FindingThrottle()
        #expect(t.offer(finding("a.one", .low, ["e1"]), window: 3_600_000) != nil)
        #expect(t.offer(finding("a.one", .high, ["e2"], minute: 1), window: 3_600_000)?.severity == .high)
    }
}

extension OneStoryTests {
    @Test("a burst cut by a restart gives the uninterrupted run's findings and ids")
    func burstSurvivesRestart() throws {
        let events = [
            Events.make("ListUsers", minute: 0, id: "a1"), Events.make("ListRoles", minute: 2, id: "a2"),
            Events.make("GetAccountSummary", minute: 5, id: "a3"), Events.make("Other", minute: 40, id: "a4"),
        ]
        let whole = run(try engine(newAPI), events).map { "\($0.id) \($0.title) \($0.count)" }
        for k in 1..<events.count {
            let a = try engine(newAPI)
            var out: [Finding] = []
            for ev in events[..<k] { a.process(ev) { out.append($0) } }
            let b = try engine(newAPI)
            b.restoreDetectors(a.snapshotDetectors())
            for ev in events[k...] { b.process(ev) { out.append($0) } }
            b.finish { out.append($0) }
            #expect(out.map { "\($0.id) \($0.title) \($0.count)" } == whole, "split at \(k)")
        }
    }
}
