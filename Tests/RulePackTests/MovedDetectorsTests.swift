import EventModel
import Foundation
import Sigma
import TestSupport
import Testing

/// The six single-operation detectors that moved from Swift to `detectors/rules/aws/` keep what
/// their Swift tests checked beyond match / no match (the cases cover that): the same id,
/// severity and MITRE techniques, a failed call reported at `failed_severity` (low) in the
/// "tried to" wording, the common facts, and an identity allow-list silencing them.
@Suite("Detectors moved to rules")
struct MovedDetectorsTests {
    /// Id, file, severity and MITRE techniques the built-in detector had.
    struct Moved: CustomTestStringConvertible, Sendable {
        var id: String
        var file: String
        var severity: Severity
        var mitre: Set<String>
        var testDescription: String { id }
    }

    static let moved: [Moved] = [
        Moved(
            id: "evasion.leave_organization", file: "leave_organization", severity: .high, mitre: ["T1666", "T1562"]),
        Moved(
            id: "evasion.bedrock_logging_deleted", file: "bedrock_logging_deleted", severity: .high,
            mitre: ["T1562.008"]),
        Moved(id: "evasion.flow_logs_deleted", file: "flow_logs_deleted", severity: .high, mitre: ["T1562.008"]),
        Moved(id: "persistence.iam_user_created", file: "iam_user_created", severity: .medium, mitre: ["T1136.003"]),
        Moved(
            id: "persistence.federation_token", file: "federation_token", severity: .medium, mitre: ["T1550", "T1078"]),
        Moved(id: "evasion.config_disabled", file: "config_disabled", severity: .critical, mitre: ["T1562.001"]),
    ]

    /// The first matching case and the first failed-call case of a detector's case file.
    static func records(_ id: String) throws -> (success: String, failed: String) {
        let text = try String(contentsOfFile: RulePackTests.casesDirectory + "/\(id).jsonl", encoding: .utf8)
        var success: String?
        var failed: String?
        for line in text.split(separator: "\n") {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            guard object["expect"] as? Bool == true, let record = object["record"] as? [String: Any] else { continue }
            let json = String(decoding: try JSONSerialization.data(withJSONObject: record), as: UTF8.self)
            if record["errorCode"] == nil { success = success ?? json } else { failed = failed ?? json }
        }
        return (try #require(success, "\(id): no successful case"), try #require(failed, "\(id): no failed case"))
    }

    @Test(arguments: moved)
    func keepsSeverityMitreWordingAndFailedSeverity(_ m: Moved) throws {
        let (success, failed) = try Self.records(m.id)
        let ok = Harness.record(success, rules: RulePackTests.pack).findings.filter { $0.detector == m.id }
        let f = try #require(ok.first, "\(m.id) did not fire")
        #expect(ok.count == 1)
        #expect(f.severity == m.severity)
        #expect(Set(f.mitre) == m.mitre)
        #expect(f.title.hasPrefix("ci-deployer ") || f.title.hasPrefix("maria.ops "), "\(f.title)")
        #expect(f.explanation.contains("203.0.113.7") || f.explanation.contains("45.147.142.231"))
        #expect(f.fact("operation") != nil && f.fact("region") != nil && f.fact("source_ip") != nil)
        #expect(f.fact("rule_file")?.hasSuffix("aws/\(m.file).yml") == true)
        #expect(f.fact("error_code") == nil)

        let bad = Harness.record(failed, rules: RulePackTests.pack).findings.filter { $0.detector == m.id }
        let g = try #require(bad.first, "\(m.id): a failed attempt is a finding too")
        #expect(g.severity == min(m.severity, .low))
        #expect(g.title.contains("tried to"), "\(g.title)")
        #expect(g.fact("error_code") != nil)
    }

    @Test(arguments: moved)
    func identityAllowListInTheTuningFileSilencesIt(_ m: Moved) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("moved-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.copyItem(
            atPath: RulePackTests.rulesDirectory + "/aws/\(m.file).yml",
            toPath: dir.appendingPathComponent("r.yml").path)
        let tuning = """
            version: 1
            rules:
              - match: \(m.id)
                allowlist:
                  - identity: "arn:aws:iam::*:role/ci-deployer"
                    reason: deployment pipeline
                  - identity: "arn:aws:iam::*:user/maria.ops"
                    reason: administrator
            """
        try tuning.write(to: dir.appendingPathComponent("tuning.yaml"), atomically: true, encoding: .utf8)
        let set = SigmaLoader.load(directories: [dir.path])
        #expect(set.configIssues.isEmpty, "\(set.configIssues.map(\.description))")
        #expect(set.rules.map(\.id) == [m.id])
        let (success, _) = try Self.records(m.id)
        #expect(Harness.record(success, rules: set).findings.isEmpty)
        #expect(!Harness.record(success, rules: RulePackTests.pack).findings.isEmpty)
    }
}
