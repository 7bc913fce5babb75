import Baselines
import Config
import Detection
import Detectors
import EventModel
import Foundation
import TestSupport
import Testing

// A small local event builder and a harness that loads the real
// detectors/<id>.yaml files and runs them through a real DetectionEngine with
// a real BaselineStore (the shared TestSupport builder is owned by another helper).

/// Fixtures of the baseline detector tests, namespaced so that they cannot clash with other helpers in this target.
enum BL {
    static let hourMs: Int64 = 3_600_000
    static let dayMs: Int64 = 86_400_000
    /// 2024-01-01T00:00:00Z (a Monday).
    static let t0: Int64 = 1_704_067_200_000
    static let acct = "111122223333"

    static func roleKey(_ name: String, account: String = BL.acct) -> String { "arn:aws:iam::\(account):role/\(name)" }

    /// Builds a CloudTrail-like event.
    static func ev(
        _ time: Int64, identity: String = BL.roleKey("web-app"), type: IdentityType = .assumedRole,
        service: String = "s3", op: String = "GetObject", readOnly: Bool? = nil, ip: String? = "10.0.1.5",
        viaService: String? = nil, ua: UserAgentFamily = .boto3, uaVersion: String = "1.34.0",
        region: String = "us-east-1",
        account: String = BL.acct, error: String = "", resources: [Resource] = [], params: [String: String] = [:],
        accessKey: String = "", instance: String = "", session: String = "", invokedBy: String = ""
    ) -> Event {
        let source: Source
        if let viaService {
            source = Source(kind: .awsService, raw: viaService)
        } else if let ip {
            source = Source(kind: .ip, raw: ip, ips: [ip])
        } else {
            source = .unknown
        }
        let uaRaw = ua == .empty ? "" : "\(ua.rawValue)/\(uaVersion)"
        return Event(
            time: time, eventSource: "\(service).amazonaws.com", account: account, region: region,
            identity: Identity(
                key: identity, type: type, accountId: account, arn: identity, sessionName: session,
                accessKeyId: accessKey, keyKind: KeyKind(accessKeyId: accessKey), instanceId: instance,
                isInstanceProfile: !instance.isEmpty, invokedBy: invokedBy,
                displayName: BaselineText.shortIdentity(identity)),
            action: Action(service: service, operation: op, readOnly: readOnly), source: source,
            userAgent: UserAgent(raw: uaRaw, family: ua, version: ua == .empty ? "" : uaVersion),
            outcome: Outcome(errorCode: error), resources: resources, parameters: params,
            eventId: BaselineEventIDs.shared.next())
    }

    /// Repository root (`TestSupport.Repository`).
    static var repoRoot: URL { Repository.root }

    /// Loads `detectors/<id>.yaml` through the real loader and registry.
    static func loadDetector(_ id: String, replacing: [(String, String)] = []) throws -> LoadedDetector {
        let file = BL.repoRoot.appendingPathComponent("detectors/\(id).yaml").path
        var text = try String(contentsOfFile: file, encoding: .utf8)
        for (a, b) in replacing { text = text.replacingOccurrences(of: a, with: b) }
        let sink = IssueSink()
        let loaded = DetectorLoader.load(yaml: text, file: file, registry: Registry.all, sink: sink)
        #expect(sink.issues.isEmpty, "\(sink.issues)")
        return try #require(loaded)
    }

    /// Events every `every` ms from `start` for `days` days, built by `make`.
    static func series(from start: Int64 = BL.t0, days: Double, every: Int64, _ make: (Int64, Int) -> Event) -> [Event]
    {
        var out: [Event] = []
        var t = start
        var i = 0
        let end = start + Int64(days * Double(BL.dayMs))
        while t < end {
            out.append(make(t, i))
            t += every
            i += 1
        }
        return out
    }
}

final class BaselineEventIDs: @unchecked Sendable {
    static let shared = BaselineEventIDs()
    private var n = 0
    private let lock = NSLock()
    func next() -> String {
        lock.lock()
        defer { lock.unlock() }
        n += 1
        return "evt-\(n)"
    }
}

/// A real engine and baseline store running some of the baseline detectors.
final class BaselineHarness {
    let store: BaselineStore
    let engine: DetectionEngine
    var findings: [Finding] = []

    init(
        _ ids: [String], baselines: BaselineConfiguration = .default, replacing: [(String, String)] = [],
        stages: [any FindingStage] = []
    ) throws {
        store = BaselineStore(configuration: baselines)
        engine = DetectionEngine(
            detectors: try ids.map { try BL.loadDetector($0, replacing: replacing) }, baselines: store, stages: stages)
    }

    func feed(_ e: Event) { engine.process(e) { findings.append($0) } }

    func feed(_ events: [Event]) { for e in events { feed(e) } }

    func finish() { engine.finish { findings.append($0) } }

    func findings(_ detector: String) -> [Finding] { findings.filter { $0.detector == detector } }
}

extension Finding {
    func blFact(_ name: String) -> String? { facts.first { $0.name == name }?.value }
}

@Suite("Baseline detector registry and configs")
struct RegistryBaselineTests {
    static let ids = [
        "identity.new_api", "identity.new_source", "identity.new_user_agent", "secrets.enumeration",
        "credentials.exfiltration", "discovery.burst", "identity.role_chain", "identity.unusual_region",
        "identity.volume_spike",
    ]

    @Test("every baseline detector is registered and its YAML loads without issues")
    func yamlLoads() throws {
        for id in Self.ids {
            let d = try BL.loadDetector(id)
            #expect(d.spec.id == id)
            #expect(d.detector.id == id)
            #expect(Registry.type(id: id)?.explanation.contains("MITRE") == true)
        }
    }

    @Test("a misspelt setting is reported with its line")
    func unknownSetting() throws {
        let file = BL.repoRoot.appendingPathComponent("detectors/secrets.enumeration.yaml").path
        let text = try String(contentsOfFile: file, encoding: .utf8).replacingOccurrences(
            of: "min_distinct: 5", with: "min_distnct: 5")
        let sink = IssueSink()
        _ = DetectorLoader.load(yaml: text, file: file, registry: Registry.all, sink: sink)
        #expect(sink.issues.contains { $0.code == "config.unknown_key" && $0.line > 0 })
    }

    @Test("an unknown user-agent family in a setting is reported")
    func unknownFamily() throws {
        let file = BL.repoRoot.appendingPathComponent("detectors/identity.new_user_agent.yaml").path
        let text = try String(contentsOfFile: file, encoding: .utf8)
            .replacingOccurrences(of: "high_families: [offensive-tool]", with: "high_families: [offensiv-tool]")
        let sink = IssueSink()
        _ = DetectorLoader.load(yaml: text, file: file, registry: Registry.all, sink: sink)
        #expect(sink.issues.contains { $0.code == "config.value" && $0.message.contains("offensiv-tool") })
    }
}

@Suite("Baseline defaults stay in sync")
struct DefaultsBaselineTests {
    @Test("the YAML sensitivity table equals the built-in table")
    func sensitivityTable() throws {
        let loaded = try BL.loadDetector("identity.new_api")
        let d = try #require(loaded.detector as? NewAPI)
        #expect(d.configuration.sensitivity == NewAPI.defaultSensitivity)
    }
}
