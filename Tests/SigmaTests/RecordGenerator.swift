import ByteJSON
import EventModel
import Foundation

@testable import Sigma

/// Writes raw provider records from a compiled rule's own selections: one that satisfies the
/// condition and one that falsifies it while keeping as much of the rule true as it can (the same
/// operation when possible, so the negative reaches the rule through the index). The records are
/// then decoded by the real decoder and run through the real engine by the tests; the generator
/// only chooses values.
struct RecordGenerator {
    let rule: SigmaRule

    /// What one path must hold.
    enum Want: Equatable {
        case value(String)
        case number(Double)
        case absent
    }

    /// A matching record, or nil when no truth assignment could be written without conflicts.
    func positive() -> String? { record(wantMatch: true) }

    /// A non-matching record, or nil.
    func negative() -> String? { record(wantMatch: false) }

    private func record(wantMatch: Bool) -> String? {
        let n = min(rule.selections.count, 12)
        let masks = (0..<(1 << n)).filter { m in rule.condition.evaluate { m & (1 << $0) != 0 } == wantMatch }
        // Positives: fewest selections true; negatives: most selections true (closest to a match).
        let ordered = masks.sorted {
            let (a, b) = ($0.nonzeroBitCount, $1.nonzeroBitCount)
            return wantMatch ? (a, $0) < (b, $1) : (a, $1) > (b, $0)
        }
        for m in ordered.prefix(256) {
            if let fields = assignment(mask: m) { return write(fields) }
        }
        return nil
    }

    /// Constraints for every selection's wanted truth; nil on a conflict.
    private func assignment(mask: Int) -> [String: Want]? {
        var c = Constraints(provider: rule.provider)
        for (i, s) in rule.selections.enumerated() {
            let want = mask & (1 << i) != 0
            if want {
                guard let alt = s.alternatives.first else { return nil }
                for t in alt { c.require(t, true) }
            } else {
                for alt in s.alternatives {
                    // Falsify one test per alternative, preferring fields other than the operation.
                    let sorted = alt.sorted { c.rank($0) < c.rank($1) }
                    guard let t = sorted.first else { return nil }
                    c.require(t, false)
                }
            }
        }
        return c.solve()
    }

    /// The provider's base record with `fields` written over it.
    private func write(_ fields: [String: Want]) -> String? {
        var root = base()
        for (path, want) in fields.sorted(by: { $0.key < $1.key }) {
            switch want {
            case .absent: Self.remove(&root, path.split(separator: ".").map(String.init))
            case .value(let v): Self.set(&root, path.split(separator: ".").map(String.init), v)
            case .number(let d): Self.set(&root, path.split(separator: ".").map(String.init), d)
            }
        }
        guard let data = try? JSONSerialization.data(withJSONObject: root, options: [.sortedKeys]) else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    static func set(_ o: inout [String: Any], _ path: [String], _ v: Any) {
        guard let first = path.first else { return }
        if path.count == 1 {
            o[first] = v
            return
        }
        var child = o[first] as? [String: Any] ?? [:]
        set(&child, Array(path.dropFirst()), v)
        o[first] = child
    }

    static func remove(_ o: inout [String: Any], _ path: [String]) {
        guard let first = path.first else { return }
        if path.count == 1 {
            o[first] = nil
            return
        }
        guard var child = o[first] as? [String: Any] else { return }
        remove(&child, Array(path.dropFirst()))
        o[first] = child
    }

    /// A valid record of the rule's provider, with neutral values.
    private func base() -> [String: Any] {
        switch rule.provider {
        case .aws:
            return [
                "eventVersion": "1.09", "eventTime": "2026-11-02T10:00:00Z", "eventSource": "ec2.amazonaws.com",
                "eventName": "DescribeInstances", "awsRegion": "eu-west-1", "sourceIPAddress": "198.51.100.7",
                "userAgent": "aws-cli/2.15.3", "eventID": "gen-\(UUID().uuidString)", "eventType": "AwsApiCall",
                "recipientAccountId": "111122223333", "requestParameters": ["note": "generated"],
                "userIdentity": [
                    "type": "IAMUser", "arn": "arn:aws:iam::111122223333:user/alice", "accountId": "111122223333",
                    "userName": "alice", "principalId": "AIDAEXAMPLE",
                ],
            ]
        case .kubernetes:
            return [
                "kind": "Event", "apiVersion": "audit.k8s.io/v1", "level": "Metadata", "auditID": UUID().uuidString,
                "stage": "ResponseComplete", "requestURI": "/api/v1/namespaces/default/configmaps", "verb": "list",
                "user": ["username": "alice", "groups": ["system:authenticated"]], "sourceIPs": ["10.0.0.9"],
                "objectRef": ["resource": "configmaps", "namespace": "default", "apiVersion": "v1"],
                "responseStatus": ["code": 200], "requestReceivedTimestamp": "2026-11-02T10:00:00.000000Z",
                "stageTimestamp": "2026-11-02T10:00:00.010000Z", "annotations": ["note": "generated"],
            ]
        case .gcp:
            return [
                "protoPayload": [
                    "@type": "type.googleapis.com/google.cloud.audit.AuditLog",
                    "authenticationInfo": ["principalEmail": "alice@example.com"],
                    "requestMetadata": ["callerIp": "198.51.100.7", "callerSuppliedUserAgent": "gcloud"],
                    "serviceName": "compute.googleapis.com", "methodName": "v1.compute.instances.list",
                    "resourceName": "projects/p1/zones/z/instances", "request": ["note": "generated"],
                ],
                "insertId": UUID().uuidString, "resource": ["type": "gce_instance", "labels": ["project_id": "p1"]],
                "timestamp": "2026-11-02T10:00:00Z", "severity": "NOTICE",
                "logName": "projects/p1/logs/cloudaudit.googleapis.com%2Factivity",
            ]
        case .azure:
            return [
                "time": "2026-11-02T10:00:00Z",
                "resourceId": "/SUBSCRIPTIONS/S1/RESOURCEGROUPS/RG/PROVIDERS/MICROSOFT.COMPUTE/VIRTUALMACHINES/VM1",
                "operationName": "MICROSOFT.COMPUTE/VIRTUALMACHINES/READ", "category": "Administrative",
                "resultType": "Success", "callerIpAddress": "198.51.100.7", "correlationId": UUID().uuidString,
                "caller": "alice@example.com", "properties": ["note": "generated"],
            ]
        case .workflow:
            return ["schema": "trailhound.workflow/v1", "time": "2026-11-02T10:00:00Z"]
        }
    }
}

/// Per-path requirements (a test that must hold or fail), solved by trying candidate values.
struct Constraints {
    let provider: Provider
    let operationPath: String?
    private var byPath: [String: [(SigmaFieldTest, Bool)]] = [:]
    private var keywords: [(SigmaFieldTest, Bool)] = []

    init(provider: Provider) {
        self.provider = provider
        self.operationPath = SigmaLogsource.operationPath(provider)
    }

    /// Lower is falsified first: fields other than the operation, then keywords, then the operation.
    func rank(_ t: SigmaFieldTest) -> Int {
        guard let f = t.field else { return 1 }
        if case .fieldref = t.values.first { return 2 }
        return f.path == operationPath ? 3 : 0
    }

    mutating func require(_ t: SigmaFieldTest, _ want: Bool) {
        guard let f = t.field else {
            keywords.append((t, want))
            return
        }
        byPath[f.path, default: []].append((t, want))
        if case .fieldref(let other) = t.values.first {
            byPath[other.path, default: []].append((t, want))
        }
    }

    /// A value per path satisfying every requirement on it; nil on a conflict.
    func solve() -> [String: RecordGenerator.Want]? {
        var out: [String: RecordGenerator.Want] = [:]
        var fieldrefs: [(SigmaFieldTest, Bool)] = []
        for (path, reqs) in byPath.sorted(by: { $0.key < $1.key }) {
            if reqs.contains(where: { if case .fieldref = $0.0.values.first { return true } else { return false } }) {
                fieldrefs += reqs.filter { if case .fieldref = $0.0.values.first { return true } else { return false } }
                continue
            }
            guard let w = Self.pick(path, reqs) else { return nil }
            out[path] = w
        }
        for (t, want) in fieldrefs {
            guard let f = t.field, case .fieldref(let other) = t.values.first else { continue }
            out[f.path] = .value("same-value")
            out[other.path] = .value(want ? "same-value" : "other-value")
        }
        let kw = keywords.filter { $0.1 }.map { Self.candidates($0.0, true).first ?? "" }
        if keywords.contains(where: { !$0.1 }) && !kw.isEmpty { return nil }
        if !kw.isEmpty { out[notePath] = .value(kw.joined(separator: " ")) }
        return out
    }

    /// Where keyword values are written: a member of the base record the decoders ignore.
    var notePath: String {
        switch provider {
        case .aws: "requestParameters.note"
        case .kubernetes: "annotations.note"
        case .gcp: "protoPayload.request.note"
        case .azure: "properties.note"
        case .workflow: "note"
        }
    }

    private static func pick(_ path: String, _ reqs: [(SigmaFieldTest, Bool)]) -> RecordGenerator.Want? {
        var options: [RecordGenerator.Want] = []
        for (t, want) in reqs { options += candidates(t, want).map { .value($0) } + numbers(t, want) }
        // Several tests that must hold on one field (`startswith` and `endswith`): their
        // examples joined in the rule's order.
        var joined = [""]
        for (t, want) in reqs where want {
            let next = candidates(t, true)
            if next.isEmpty { continue }
            joined = joined.flatMap { head in next.map { head + $0 } }.prefix(64).map { $0 }
        }
        options += joined.filter { !$0.isEmpty }.map { .value($0) }
        options += [.value("zz-generated-no-match"), .absent]
        return options.first { w in reqs.allSatisfy { holds($0.0, w) == $0.1 } }
    }

    /// Whether `t` holds when the path holds `w`, judged on a one-field record.
    static func holds(_ t: SigmaFieldTest, _ w: RecordGenerator.Want) -> Bool {
        guard let f = t.field else { return false }
        let json: String
        switch w {
        case .absent: json = "{}"
        case .value(let s): json = "{\"v\":" + JSONText.quote(s) + "}"
        case .number(let d): json = "{\"v\":\(d)}"
        }
        let probe = SigmaFieldTest(
            field: SigmaField(name: f.name, path: "v", unwrapValue: false), values: t.values, all: t.all)
        var bytes = Array(json.utf8)
        return bytes.withUnsafeMutableBytes { buf in
            guard let record = SigmaRecord.read(UnsafeRawBufferPointer(buf)) else { return false }
            return probe.matches(record)
        }
    }

    /// String values that would satisfy (or fail) the test.
    static func candidates(_ t: SigmaFieldTest, _ want: Bool) -> [String] {
        var out: [String] = []
        var parts: [String] = []
        for v in t.values {
            switch v {
            case .pattern(let p): parts.append(example(p.source))
            case .regex(let r): parts.append(regexExample(r.pattern))
            case .cidr(let c, let text):
                let addr = String(text.split(separator: "/").first ?? "")
                out.append(addr)
                if !want { out.append(c.isV4 ? "255.255.255.254" : "ffff::1") }
            case .exists(let b): out.append(b == want ? "present" : "")
            default: break
            }
        }
        if t.all { out.insert(parts.joined(separator: " "), at: 0) } else { out = parts + out }
        return out.filter { !$0.isEmpty }
    }

    private static func numbers(_ t: SigmaFieldTest, _ want: Bool) -> [RecordGenerator.Want] {
        t.values.compactMap {
            guard case .compare(let op, let n) = $0 else { return nil }
            let inside: Double = op == .gt ? n + 1 : op == .lt ? n - 1 : n
            let outside: Double = op == .gt || op == .gte ? n - 1 : n + 1
            return .number(want ? inside : outside)
        }
    }

    /// A string matching a Sigma wildcard value: `*` → nothing, `?` → `x`, escapes resolved.
    static func example(_ source: String) -> String {
        var out = ""
        var escaped = false
        for ch in source {
            if escaped {
                out.append(ch)
                escaped = false
            } else if ch == "\\" {
                escaped = true
            } else if ch == "?" {
                out.append("x")
            } else if ch != "*" {
                out.append(ch)
            }
        }
        return out
    }

    /// A string for a simple regular expression: `.+`/`.*` → `x`, anchors dropped, `\.` → `.`.
    static func regexExample(_ pattern: String) -> String {
        var s = pattern.replacingOccurrences(of: ".+", with: "x").replacingOccurrences(of: ".*", with: "x")
        s = s.replacingOccurrences(of: "^", with: "").replacingOccurrences(of: "$", with: "")
        return s.replacingOccurrences(of: "\\", with: "")
    }
}
