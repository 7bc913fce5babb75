import Baselines
import Config
import Detection
import Detectors
import EventModel
import Foundation
import TestSupport
import Testing

/// Paths inside the repository, found from this file's location.
enum Repo {
    /// Repository root.
    static var root: String { Repository.root.path }
    /// `detectors/`.
    static var detectorsDirectory: String { root + "/detectors" }

    /// Text of `detectors/<id>.yaml`.
    static func yaml(_ id: String) throws -> String {
        try String(contentsOfFile: detectorsDirectory + "/\(id).yaml", encoding: .utf8)
    }

    /// Text of the detector type `name`'s file, in whichever folder of `Sources/Detectors` holds it.
    static func detectorSource(_ name: String) throws -> String {
        let folders = ["Rules", "Baselines", "Kubernetes", "Workflow", "Support", ""]
        let paths = folders.map { root + "/Sources/Detectors/" + ($0.isEmpty ? "" : $0 + "/") + name + ".swift" }
        let path = paths.first { FileManager.default.fileExists(atPath: $0) } ?? paths[0]
        return try String(contentsOfFile: path, encoding: .utf8)
    }
}

/// Builds `Event` values directly (the JSON-based builder lives in TestSupport once
/// the formats land).
enum TestEvents {
    /// The account every test event belongs to.
    static let account = "111122223333"
    /// 2026-01-01T00:00:00Z.
    static let t0: Int64 = 1_767_225_600_000

    /// An assumed-role session of `name` (key = role ARN).
    static func role(_ name: String = "ci-deployer", session: String = "i-0abc123") -> Identity {
        Identity(
            key: "arn:aws:iam::\(account):role/\(name)", type: .assumedRole, accountId: account,
            arn: "arn:aws:sts::\(account):assumed-role/\(name)/\(session)", sessionName: session,
            accessKeyId: "ASIAEXAMPLE0000001", keyKind: .session, displayName: name)
    }

    /// An IAM user.
    static func user(_ name: String) -> Identity {
        Identity(
            key: "arn:aws:iam::\(account):user/\(name)", type: .iamUser, accountId: account,
            arn: "arn:aws:iam::\(account):user/\(name)", accessKeyId: "AKIAEXAMPLE0000001", keyKind: .longLived,
            displayName: name)
    }

    /// The account's root user.
    static func root() -> Identity {
        Identity(
            key: "arn:aws:iam::\(account):root", type: .root, accountId: account,
            arn: "arn:aws:iam::\(account):root", displayName: "root")
    }

    /// One CloudTrail-like event. `request` / `response` keys are given without
    /// their `requestParameters.` / `responseElements.` prefix.
    static func make(
        _ service: String, _ operation: String, by identity: Identity = role(),
        request: [String: String] = [:], response: [String: String] = [:], error: String = "",
        minute: Int = 0, ip: String = "203.0.113.7", userAgent: UserAgentFamily = .awsCLI,
        region: String = "us-east-1", account: String = account, resources: [Resource] = []
    ) -> Event {
        var params: [String: String] = [:]
        for (k, v) in request { params["requestParameters." + k] = v }
        for (k, v) in response { params["responseElements." + k] = v }
        return Event(
            time: t0 + Int64(minute) * 60_000, eventSource: "\(service).amazonaws.com", account: account,
            region: region, identity: identity, action: Action(service: service, operation: operation),
            source: Source(kind: .ip, raw: ip, ips: [ip]),
            userAgent: UserAgent(raw: "\(userAgent.rawValue)/2.15.3 Python/3.11", family: userAgent, version: "2.15.3"),
            outcome: error.isEmpty ? .success : Outcome(errorCode: error, errorMessage: "User is not authorized"),
            resources: resources, parameters: params, eventId: UUID().uuidString,
            origin: Origin(path: "test.json", record: minute + 1, isLine: false))
    }
}

/// A detection engine running one detector loaded from its real YAML file.
final class Harness {
    /// The engine.
    let engine: DetectionEngine
    /// Config issues found while loading (expected empty).
    let issues: [ConfigIssue]

    /// Loads `detectors/<id>.yaml`, optionally edited (e.g. to add allow-list entries).
    init(_ id: String, edit: (String) -> String = { $0 }) throws {
        let sink = IssueSink()
        let loaded = DetectorLoader.load(
            yaml: edit(try Repo.yaml(id)), file: "\(id).yaml", registry: Registry.all, sink: sink)
        issues = sink.issues
        engine = DetectionEngine(detectors: loaded.map { [$0] } ?? [], baselines: BaselineStore())
    }

    /// Processes events in order; returns the findings emitted at once.
    @discardableResult
    func run(_ events: Event...) -> [Finding] { run(events) }

    /// Processes events in order; returns the findings emitted at once.
    @discardableResult
    func run(_ events: [Event]) -> [Finding] {
        var out: [Finding] = []
        for e in events { engine.process(e) { out.append($0) } }
        return out
    }

    /// End of input: returns follow-up findings (dedup counts).
    func finish() -> [Finding] {
        var out: [Finding] = []
        engine.finish { out.append($0) }
        return out
    }

    /// Runs events through a fresh engine for `id` (loaded from its YAML) and returns the findings.
    static func findings(_ id: String, _ events: Event...) throws -> [Finding] {
        let h = try Harness(id)
        #expect(h.issues.isEmpty, "\(h.issues)")
        return h.run(events)
    }
}

/// Replaces the file's `allowlist: []` with the given entries (YAML list items).
func withAllowlist(_ entries: String...) -> (String) -> String {
    { yaml in
        #expect(yaml.contains("\nallowlist: []\n"))
        return yaml.replacingOccurrences(
            of: "\nallowlist: []\n", with: "\nallowlist:\n" + entries.joined(separator: "\n") + "\n")
    }
}

/// Replaces one `settings:` line (`  key: value`) of the file.
func withSetting(_ key: String, _ value: String) -> (String) -> String {
    { yaml in
        let lines = yaml.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.contains { $0.hasPrefix("  \(key):") }, "setting \(key) not in file")
        return lines.map { $0.hasPrefix("  \(key):") ? "  \(key): \(value)" : String($0) }.joined(separator: "\n")
    }
}

extension Finding {
    /// Value of a fact, nil when absent.
    func fact(_ name: String) -> String? { facts.first { $0.name == name }?.value }
}

/// What every rule detector must do with an event that fires: a finding at the
/// detector's severity naming the identity, with facts; a failed attempt at
/// `failed_severity`; suppression by a matching allow-list entry (identity or key)
/// but not by an expired one; repeats folded by the dedup window into a follow-up
/// carrying the count.
func checkCommonBehaviour(
    _ id: String, severity: Severity, key: String,
    sample: (_ minute: Int, _ error: String) -> Event
) throws {
    let first = sample(0, "")
    let name = first.identity.displayName

    let h = try Harness(id)
    #expect(h.issues.isEmpty, "\(h.issues)")
    let fired = h.run(first)
    try #require(fired.count == 1, "expected one finding from \(id)")
    let f = fired[0]
    #expect(f.detector == id)
    #expect(f.severity == severity)
    #expect(f.key == key)
    #expect(f.identity == first.identity.key)
    #expect(f.account == first.account)
    #expect(f.title.hasPrefix(name + " "), "title: \(f.title)")
    #expect(!f.title.contains("\n"))
    #expect(f.explanation.contains(first.action.operation))
    #expect(f.explanation.contains("203.0.113.7"))
    #expect(f.explanation.contains("us-east-1"))
    #expect(!f.mitre.isEmpty)
    #expect(f.fact("operation") == first.action.operation)
    #expect(f.fact("source_ip") == "203.0.113.7")
    #expect(f.fact("region") == "us-east-1")
    #expect(f.fact("user_agent_family") == first.userAgent.family.rawValue)
    #expect(f.fact("target") != nil)
    #expect(f.fact("error_code") == nil)
    #expect(f.eventIds == [first.eventId])

    let failed = try Harness(id).run(sample(0, "AccessDenied"))
    try #require(failed.count == 1, "a failed attempt is a finding too")
    #expect(failed[0].severity == min(severity, .low))
    #expect(failed[0].title.contains("tried to"))
    #expect(failed[0].explanation.contains("AccessDenied"))
    #expect(failed[0].fact("error_code") == "AccessDenied")

    let allowed = try Harness(
        id, edit: withAllowlist("  - identity: \"arn:aws:iam::*:role/\(name)\"", "    reason: deployment pipeline"))
    #expect(allowed.issues.isEmpty, "\(allowed.issues)")
    #expect(allowed.run(sample(0, "")).isEmpty)
    #expect(allowed.engine.stats.allowlisted == 1)

    let byResource = try Harness(id, edit: withAllowlist("  - resource: \"\(key)\"", "    reason: known"))
    #expect(byResource.run(sample(0, "")).isEmpty)

    let expired = try Harness(
        id,
        edit: withAllowlist(
            "  - identity: \"arn:aws:iam::*:role/\(name)\"", "    reason: old exception", "    expires: 2025-06-30"))
    #expect(expired.issues.isEmpty, "\(expired.issues)")
    #expect(expired.run(sample(0, "")).count == 1)

    let dedup = try Harness(id)
    #expect(dedup.run(sample(0, ""), sample(10, ""), sample(20, "")).count == 1)
    let followUps = dedup.finish()
    try #require(followUps.count == 1)
    #expect(followUps[0].count == 2)
    #expect(followUps[0].title.contains("repeated 2×"))
    #expect(followUps[0].fact("repeat_count") == "2")
    #expect(dedup.engine.stats.folded == 2)
}
