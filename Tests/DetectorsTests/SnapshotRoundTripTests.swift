import Baselines
import Config
import Detection
import Detectors
import EventModel
import Foundation
import TestSupport
import Testing

// A restart of the live service restores the last checkpoint (baselines and detector
// state) and replays the events after it: its findings must be those of an uninterrupted
// run. Each case below makes one stateful detector fire; the run is split at every event
// of its interesting part (and a few of its background), the state is carried over to a
// fresh engine, and the findings of both halves must equal the uninterrupted run's.
// The detectors run with `dedup_window: 0s`, so the engine's own dedup state (persisted
// elsewhere) plays no part: every signal is a finding.

/// What a finding says, for comparing runs.
struct FindingSummary: Equatable, CustomStringConvertible {
    let detector: String
    let identity: String
    let key: String
    let severity: Severity
    let eventIds: [String]
    let title: String
    let count: Int
    let firstSeen: Int64
    let explanation: String

    init(_ f: Finding) {
        detector = f.detector
        identity = f.identity
        key = f.key
        severity = f.severity
        eventIds = f.eventIds
        title = f.title
        count = f.count
        firstSeen = f.firstSeen
        explanation = f.explanation
    }

    var description: String { "\(key) \(severity) ×\(count) \(title) \(eventIds)" }
}

/// One scenario: a detector, events that make it fire, and where to split them.
struct RoundTripCase: Sendable, CustomTestStringConvertible {
    let id: String
    let events: [Event]
    /// Index of the first event after the background (the interesting part).
    let focus: Int
    /// Whether the engine folds events into baselines (false: `scan --no-baselines`).
    var observe = true

    var testDescription: String { observe ? id : id + " (no baselines)" }

    /// Every index of the interesting part, and a few of the background.
    var splits: [Int] {
        Array(Set([1, focus / 2, max(1, focus - 1)] + Array(focus..<events.count))).filter { $0 < events.count }
            .sorted()
    }

    /// The detector loaded from its YAML file, with dedup off.
    func load() throws -> LoadedDetector {
        let yaml = try Repository.detectorYAML(id).split(separator: "\n", omittingEmptySubsequences: false).map {
            $0.hasPrefix("dedup_window:") ? "dedup_window: 0s" : String($0)
        }.joined(separator: "\n")
        let sink = IssueSink()
        let loaded = DetectorLoader.load(yaml: yaml, file: "\(id).yaml", registry: Registry.all, sink: sink)
        #expect(sink.issues.isEmpty, "\(sink.issues)")
        return try #require(loaded)
    }
}

/// A real engine and baseline store running one case's detector.
final class RoundTripRun {
    let store = BaselineStore()
    let engine: DetectionEngine
    let loaded: LoadedDetector
    var findings: [FindingSummary] = []

    init(_ c: RoundTripCase) throws {
        loaded = try c.load()
        engine = DetectionEngine(detectors: [loaded], baselines: store)
        engine.observeBaselines = c.observe
    }

    func feed(_ events: ArraySlice<Event>) { for e in events { engine.process(e) { findings.append(.init($0)) } } }

    func finish() { engine.finish { findings.append(.init($0)) } }
}

@Suite("Detector snapshots: a restart gives the findings of an uninterrupted run")
struct SnapshotRoundTripTests {
    static let cases: [RoundTripCase] = [
        SnapshotCases.discovery(), SnapshotCases.secrets(), SnapshotCases.exfiltration(),
        SnapshotCases.secretSweep(), SnapshotCases.secretSweep(observe: false),
        SnapshotCases.privilegedBinding(), SnapshotCases.privilegedBinding(observe: false),
        SnapshotCases.newToolKind(), SnapshotCases.newToolKind(observe: false),
    ]

    @Test("split anywhere, restore into a fresh engine: the same findings", arguments: cases)
    func roundTrip(_ c: RoundTripCase) throws {
        let reference = try RoundTripRun(c)
        reference.feed(c.events[...])
        reference.finish()
        #expect(reference.findings.count >= 2, "the scenario should fire: \(reference.findings)")
        let a = try RoundTripRun(c)
        var fed = 0
        for k in c.splits {
            a.feed(c.events[fed..<k])
            fed = k
            let detectors = a.engine.snapshotDetectors()
            let b = try RoundTripRun(c)
            try b.store.restore(a.store.snapshot())
            b.engine.restoreDetectors(detectors)
            #expect(b.engine.snapshotDetectors() == detectors, "restore then snapshot differs (split at \(k))")
            b.feed(c.events[k...])
            b.finish()
            let joined = a.findings + b.findings
            #expect(joined == reference.findings, "split at \(k) of \(c.events.count)")
            if joined != reference.findings { break }
        }
    }

    @Test("truncated, trailing, unknown-version and oversized snapshots restore to an empty detector", arguments: cases)
    func badBytes(_ c: RoundTripCase) throws {
        let saved = try savedInsideWindow(c)
        let empty = try #require(try c.load().detector.snapshot())
        func restored(_ bytes: [UInt8]) throws -> [UInt8]? {
            let d = try c.load().detector
            d.restore(bytes)
            return d.snapshot()
        }
        for n in 0..<saved.count {
            #expect(try restored(Array(saved.prefix(n))) == empty, "prefix of \(n) bytes")
        }
        #expect(try restored(saved) == saved)
        #expect(try restored(saved + [0]) == empty, "trailing byte")
        #expect(try restored([0xEE] + saved.dropFirst()) == empty, "unknown version")
        var huge = BinaryWriter()
        huge.u8(saved[0])
        huge.varint(UInt64(Int32.max))
        #expect(try restored(huge.bytes + saved.dropFirst()) == empty, "count above the cap")
    }

    @Test("garbage and bit flips never crash the detector, then or later", arguments: cases)
    func garbage(_ c: RoundTripCase) throws {
        let a = try RoundTripRun(c)
        a.feed(c.events[..<c.focus])
        let saved = try savedInsideWindow(c)
        let context = DetectionContext(baselines: a.store, spec: a.loaded.spec)
        let later = c.events[c.focus...].prefix(24)
        var rng = SplitMix64(seed: 42)
        var inputs: [[UInt8]] = (0..<200).map { _ in
            [saved[0]] + (0..<Int.random(in: 0..<64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        }
        for i in 0..<saved.count { inputs.append(saved.enumerated().map { $0 == i ? $1 ^ (1 << UInt8(i % 8)) : $1 }) }
        for bytes in inputs {
            let d = try c.load().detector
            d.restore(bytes)
            var signals: [Signal] = []
            for e in later { d.evaluate(e, context: context, into: &signals) }
            var pending: [(Identity, Signal)] = []
            d.finish(now: later.last?.time ?? 0, context: context, into: &pending)
            _ = d.snapshot()
        }
    }

    @Test("a version 1 secrets.enumeration snapshot (open slow windows only) still restores")
    func secretsVersion1() throws {
        let key = BL.roleKey("web-app")
        var w = BinaryWriter()
        w.u8(1)
        w.uint(1)
        w.u64(Hash64.of(key))
        w.int(BL.t0 + 3_600_000)
        for s in [key, "AssumedRole", BL.acct, "web-app", BL.acct] { w.string(s) }
        w.int(BL.t0)
        w.int(BL.t0 + 3_600_000)
        w.uint(0)
        w.uint(11)
        for i in 0..<11 { w.u64(UInt64(i + 1)) }
        for list in [["/prod/p-0", "/prod/p-1"], ["evt-a", "evt-b"]] {
            w.uint(list.count)
            for s in list { w.string(s) }
        }
        let h = try Harness(["secrets.enumeration"])
        h.engine.restoreDetectors(["secrets.enumeration": w.bytes])
        h.finish()
        let f = try #require(h.findings.first)
        #expect(h.findings.count == 1)
        #expect(f.key == "slow")
        #expect(f.identity == key)
        #expect(f.count == 11)
        #expect(f.eventIds == ["evt-a", "evt-b"])
        #expect(f.title == "web-app slowly read 11 secrets it never read before")
        #expect(f.explanation.contains("/prod/p-0") && f.explanation.contains("/prod/p-1"))
    }

    /// A snapshot taken in the middle of the case's interesting part (state is not empty).
    private func savedInsideWindow(_ c: RoundTripCase) throws -> [UInt8] {
        let a = try RoundTripRun(c)
        a.feed(c.events[..<((c.focus + c.events.count) / 2)])
        let saved = try #require(a.engine.snapshotDetectors()[c.id], "\(c.id) saves no state")
        #expect(saved.count > 8)
        return saved
    }
}

/// Event sequences that make each stateful detector fire several times.
enum SnapshotCases {
    static let after = BL.t0 + 9 * BL.dayMs + 60_000

    /// A developer role's 9 days of S3 work, then interleaved read and AccessDenied bursts,
    /// and a second identity's denials overlapping them.
    static func discovery() -> RoundTripCase {
        let dev = BL.roleKey("developer")
        let ops = ["ListObjectsV2", "GetObject", "PutObject"]
        var events = BL.series(days: 9, every: 5 * 60_000) { t, i in
            TestEvents.ev(t, identity: dev, service: "s3", op: ops[i % 3])
        }
        events += BL.series(days: 9, every: 60 * 60_000) { t, _ in TestEvents.ev(t, identity: BL.roleKey("worker")) }
        events.sort { $0.time < $1.time }
        let focus = events.count
        let reads = DiscoveryBurstTests.reads
        for i in 0..<30 {
            let t = after + Int64(i) * 10_000
            events.append(TestEvents.ev(t, identity: dev, service: reads[i * 2].0, op: reads[i * 2].1))
            if i % 2 == 0 {
                events.append(
                    TestEvents.ev(t + 2_000, identity: dev, service: "iam", op: "CreateUser\(i)", error: "AccessDenied")
                )
            }
            if i % 3 == 0 {
                events.append(
                    TestEvents.ev(
                        t + 4_000, identity: BL.roleKey("worker"), service: "iam", op: "AttachRolePolicy",
                        error: "AccessDenied"))
            }
        }
        for i in 0..<25 {
            let (s, op) = reads[(i * 3 + 1) % reads.count]
            events.append(TestEvents.ev(after + 20 * 60_000 + Int64(i) * 5_000, identity: dev, service: s, op: op))
        }
        return RoundTripCase(id: "discovery.burst", events: events, focus: focus)
    }

    static func secret(_ name: String) -> [Resource] {
        [Resource(kind: .secret, id: "arn:aws:secretsmanager:us-east-1:111122223333:secret:\(name)")]
    }

    /// web-app's usual two secrets for 9 days, then a listing and a burst, a learning identity's
    /// burst, low-and-slow reads over a day (closed by a later read), and more slow reads
    /// reported at the end of input.
    static func secrets() -> RoundTripCase {
        var events = BL.series(days: 9, every: 5 * 60_000) { t, i in
            i % 3 == 2
                ? TestEvents.ev(t)
                : TestEvents.ev(t, service: "secretsmanager", op: "GetSecretValue", resources: secret("app/\(i % 3)"))
        }
        let focus = events.count
        events.append(TestEvents.ev(after, service: "secretsmanager", op: "ListSecrets"))
        for i in 0..<20 {
            let t = after + 30_000 + Int64(i) * 6_000
            events.append(
                TestEvents.ev(t, service: "secretsmanager", op: "GetSecretValue", resources: secret("prod/x-\(i)")))
            events.append(
                TestEvents.ev(
                    t + 1_000, identity: BL.roleKey("fresh"), service: "secretsmanager", op: "GetSecretValue",
                    resources: secret("s-\(i)")))
        }
        for i in 0..<12 {
            events.append(
                TestEvents.ev(
                    after + 20 * 60_000 + Int64(i) * 100 * 60_000, service: "ssm", op: "GetParameter",
                    resources: [Resource(kind: .parameter, id: "/prod/param-\(i)")]))
        }
        for i in 0..<11 {
            events.append(
                TestEvents.ev(
                    after + 26 * BL.hourMs + Int64(i) * 30 * 60_000, service: "ssm", op: "GetParameter",
                    resources: [Resource(kind: .parameter, id: "/prod/late-\(i)")]))
        }
        return RoundTripCase(id: "secrets.enumeration", events: events, focus: focus)
    }

    /// An instance role's keys from its subnet for 9 days, then a stolen key used outside,
    /// from a third network at once, and a developer key in two places.
    static func exfiltration() -> RoundTripCase {
        let role = BL.roleKey("app-instance")
        let dev = BL.roleKey("developer")
        var events = BL.series(days: 9, every: 10 * 60_000) { t, i in
            TestEvents.ev(
                t, identity: role, ip: "10.0.2.\(i % 20 + 10)", accessKey: "ASIAOLD\(i / 36)", instance: "i-0abc",
                session: "i-0abc")
        }
        let focus = events.count
        let t = BL.t0 + 9 * BL.dayMs
        func stolen(_ dt: Int64, _ ip: String) -> Event {
            TestEvents.ev(t + dt, identity: role, ip: ip, accessKey: "ASIASTOLEN1", instance: "i-0abc")
        }
        events += [
            stolen(0, "10.0.2.15"), TestEvents.ev(t + 60_000, identity: dev, ip: "203.0.113.10", accessKey: "ASIADEV1"),
            stolen(20 * 60_000, "198.51.100.7"), stolen(21 * 60_000, "10.0.2.16"),
            TestEvents.ev(t + 22 * 60_000, identity: dev, ip: "203.0.113.10", accessKey: "ASIADEV1"),
            stolen(23 * 60_000, "192.0.2.44"),
            TestEvents.ev(t + 24 * 60_000, identity: dev, ip: "192.0.2.200", accessKey: "ASIADEV1"),
            stolen(25 * 60_000, "198.51.100.8"),
            TestEvents.ev(t + 26 * 60_000, identity: dev, ip: "198.18.0.1", accessKey: "ASIADEV1"),
            stolen(90 * 60_000, "203.0.113.99"),
        ]
        return RoundTripCase(id: "credentials.exfiltration", events: events, focus: focus)
    }

    /// Three days of a runner reading its own secret, then sweeps, a wide sweep, a cluster-wide
    /// list and a sweep beyond the new habit.
    static func secretSweep(observe: Bool = true) -> RoundTripCase {
        let runner = SourceEvents.sa("ci", "runner")
        let day = SourceEvents.day
        var events = (0..<72).map { h in
            SourceEvents.k8s("get", "secrets", ns: "ci", name: "registry-creds", by: runner, at: Int64(h) * 3_600_000)
        }
        let focus = events.count
        func sweep(_ namespaces: [String], at start: Int64, status: Int = 200) -> [Event] {
            namespaces.enumerated().map { i, ns in
                SourceEvents.k8s(
                    "get", "secrets", ns: ns, name: "db", by: runner, at: start + Int64(i) * 20_000, status: status)
            }
        }
        let ns = (0..<12).map { "team-\($0)" }
        events += sweep(ns, at: 3 * day)
        events += sweep(["a", "b", "c", "d"], at: 3 * day + 5 * 60_000, status: 403)
        events.append(SourceEvents.k8s("list", "secrets", by: runner, at: 3 * day + 3_600_000))
        events.append(SourceEvents.k8s("list", "secrets", by: runner, at: 3 * day + 7_200_000))
        events += sweep(ns, at: 4 * day)
        events += sweep(ns + (1...8).map { "x\($0)" }, at: 5 * day)
        var c = RoundTripCase(id: "k8s.secret_sweep", events: events, focus: focus)
        c.observe = observe
        return c
    }

    /// A migration job execs while the cluster is learning; after it, new service accounts exec
    /// (once each), known ones stay quiet, and a binding is written.
    static func privilegedBinding(observe: Bool = true) -> RoundTripCase {
        let day = SourceEvents.day
        let ci = SourceEvents.sa("ci", "migrations")
        let attacker = SourceEvents.sa("web", "frontend")
        func exec(_ who: Identity, _ ms: Int64, sub: String = "exec") -> Event {
            SourceEvents.k8s("create", "pods", sub: sub, ns: "db", name: "pg-0", by: who, at: ms)
        }
        var events = [exec(ci, 0)]
        events += (1..<60).map { h in SourceEvents.k8s("get", "pods", ns: "ci", name: "x", at: Int64(h) * 3_600_000) }
        let focus = events.count
        events += [
            exec(attacker, 3 * day), exec(attacker, 3 * day + 60_000), exec(ci, 3 * day + 120_000),
            exec(SourceEvents.k8sUser("alice@example.com"), 3 * day + 180_000),
            exec(SourceEvents.sa("x", "y"), 3 * day + 240_000, sub: "attach"),
            SourceEvents.k8s(
                "create", "clusterrolebindings", name: "pwn", by: attacker, at: 3 * day + 300_000,
                requestObject: #"{"roleRef":{"name":"cluster-admin"},"subjects":[{"name":"system:anonymous"}]}"#),
            exec(SourceEvents.sa("x", "y"), 3 * day + 360_000), exec(SourceEvents.sa("x", "z"), 3 * day + 420_000),
        ]
        var c = RoundTripCase(id: "k8s.privileged_binding", events: events, focus: focus)
        c.observe = observe
        return c
    }

    /// A flow's model and retrieval calls for five days, then a shell, a network tool, a new
    /// flow starting with a shell and a young flow adding a file tool.
    static func newToolKind(observe: Bool = true) -> RoundTripCase {
        let day = SourceEvents.day
        func tool(_ kind: String, flow: String = "support-bot", at ms: Int64) -> Event {
            SourceEvents.workflow(
                [
                    "action": "tool_call", "tool_kind": kind, "flow_id": flow, "authenticated": "true",
                    "principal": "svc-bot", "tool_name": "\(kind)-tool",
                ], at: ms)
        }
        var events = (0..<5).flatMap { d in
            [tool("model", at: Int64(d) * day), tool("retrieval", at: Int64(d) * day + 60_000)]
        }
        events.append(tool("shell", flow: "early", at: day / 2))
        let focus = events.count
        events += [
            tool("shell", at: 5 * day), tool("shell", at: 5 * day + 7_200_000),
            tool("network", at: 5 * day + 10_800_000),
            tool("shell", flow: "early", at: 5 * day + 11_000_000),
            tool("shell", flow: "fresh", at: 5 * day + 12_000_000),
            tool("model", flow: "young", at: 5 * day + 13_000_000),
            tool("file", flow: "young", at: 5 * day + 13_060_000),
            tool("file", flow: "fresh", at: 9 * day), tool("network", flow: "young", at: 9 * day + 60_000),
        ]
        var c = RoundTripCase(id: "workflow.new_tool_kind", events: events, focus: focus)
        c.observe = observe
        return c
    }
}
