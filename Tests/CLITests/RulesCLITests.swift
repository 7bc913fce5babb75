import Foundation
import TestSupport
import Testing

/// Rule files end to end: `--rules`, `--no-rules`, tuning, `validate`, `detectors list`, `coverage`.
@Suite("Sigma rules, end to end")
struct RulesCLITests {
    static let rule = """
        title: Bucket versioning suspended
        id: 11111111-2222-3333-4444-555555555555
        status: test
        logsource:
            product: aws
            service: cloudtrail
        detection:
            selection:
                eventSource: s3.amazonaws.com
                eventName: PutBucketVersioning
                requestParameters|contains: Suspended
            condition: selection
        falsepositives:
            - Test buckets
        level: high
        tags:
            - attack.t1490
        """

    static func record(_ status: String, id: String) -> String {
        """
        {"eventVersion":"1.09","userIdentity":{"type":"IAMUser","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","userName":"alice"},"eventTime":"2026-11-02T10:00:00Z","eventSource":"s3.amazonaws.com","eventName":"PutBucketVersioning","awsRegion":"eu-west-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15.3","requestParameters":{"bucketName":"logs","VersioningConfiguration":{"Status":"\(status)"}},"responseElements":null,"eventID":"\(id)","eventType":"AwsApiCall","recipientAccountId":"111122223333"}
        """
    }

    /// A rules directory with the rule (and `tuning`, when given) and an input file with one
    /// suspending and one enabling call.
    static func fixture(tuning: String? = nil) throws -> (rules: URL, input: URL) {
        let dir = try CLI.tempDir()
        let rules = dir.appendingPathComponent("rules/aws")
        try FileManager.default.createDirectory(at: rules, withIntermediateDirectories: true)
        try rule.write(to: rules.appendingPathComponent("versioning.yml"), atomically: true, encoding: .utf8)
        if let tuning {
            try tuning.write(
                to: dir.appendingPathComponent("rules/tuning.yaml"), atomically: true, encoding: .utf8)
        }
        let input = dir.appendingPathComponent("trail.json")
        try (record("Suspended", id: "e-1") + "\n" + record("Enabled", id: "e-2") + "\n")
            .write(to: input, atomically: true, encoding: .utf8)
        return (dir.appendingPathComponent("rules"), input)
    }

    @Test func scanRunsRulesFromRulesDirectories() throws {
        let f = try Self.fixture()
        let r = try Repository.run(["scan", f.input.path, "--rules", f.rules.path, "--no-progress", "--quiet"])
        #expect(r.status == 0, "\(r.stderr)")
        let mine = r.findings.filter { $0["detector"] as? String == "sigma.bucket_versioning_suspended" }
        #expect(mine.count == 1, "\(r.stdout)")
        #expect(mine.first?["severity"] as? String == "high")
        #expect(mine.first?["mitre"] as? [String] == ["T1490"])
        let facts = mine.first?["facts"] as? [String: Any] ?? [:]
        #expect(facts["rule_id"] as? String == "11111111-2222-3333-4444-555555555555", "\(facts)")
        #expect((facts["rule_file"] as? String ?? "").hasSuffix("versioning.yml"))
        #expect((mine.first?["explanation"] as? String ?? "").contains("False positives: Test buckets"))
        let none = try Repository.run(["scan", f.input.path, "--no-rules", "--no-progress", "--quiet"])
        #expect(!none.findings.contains { $0["detector"] as? String == "sigma.bucket_versioning_suspended" })
    }

    @Test func tuningDisablesOrReweightsAndBadTuningIsAConfigError() throws {
        let off = try Self.fixture(tuning: "version: 1\nrules:\n  - match: \"sigma.bucket_*\"\n    enabled: false\n")
        let r = try Repository.run(["scan", off.input.path, "--rules", off.rules.path, "--no-progress", "--quiet"])
        #expect(!r.findings.contains { $0["detector"] as? String == "sigma.bucket_versioning_suspended" })
        let low = try Self.fixture(
            tuning: "version: 1\nrules:\n  - match: Bucket versioning suspended\n    severity: low\n")
        let l = try Repository.run(["scan", low.input.path, "--rules", low.rules.path, "--no-progress", "--quiet"])
        #expect(
            l.findings.first { $0["detector"] as? String == "sigma.bucket_versioning_suspended" }?["severity"]
                as? String == "low")
        let bad = try Self.fixture(tuning: "version: 1\nrules:\n  - match: x\n    enabeld: false\n")
        let v = try Repository.run(["validate", "--rules", bad.rules.path])
        #expect(v.status == 64)
        #expect(v.stderr.contains("tuning.yaml:4:5: error:"), "\(v.stderr)")
        #expect(v.stderr.contains("[config.unknown_key]"))
        let s = try Repository.run(["scan", bad.input.path, "--rules", bad.rules.path, "--no-progress"])
        #expect(s.status == 64)
    }

    @Test func validateReportsSkippedRulesWithPositionsAndStillSucceeds() throws {
        let f = try Self.fixture()
        let broken = """
            title: Counting rule
            logsource: {product: aws, service: cloudtrail}
            detection:
                selection:
                    eventName: ConsoleLogin
                condition: selection | count() by sourceIPAddress > 10
            """
        try broken.write(to: f.rules.appendingPathComponent("count.yml"), atomically: true, encoding: .utf8)
        let r = try Repository.run(["validate", "--rules", f.rules.path])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stderr.contains("count.yml:6:16: warning:"), "\(r.stderr)")
        #expect(r.stderr.contains("[rule.aggregation]"))
        #expect(r.stdout.contains("rules loaded, 1 skipped (skipped: 1 rule.aggregation)"), "\(r.stdout)")
    }

    @Test func listAndCoverageShowRules() throws {
        let list = try Repository.run(["detectors", "list", "--format", "json"])
        #expect(list.status == 0, "\(list.stderr)")
        let rows = list.stdout.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        let kms = rows.first { $0["id"] as? String == "impact.kms_key_deletion" }
        #expect(kms?["kind"] as? String == "rule")
        #expect(kms?["source"] as? String == "detectors/rules/aws/kms_key_deletion.yml")
        #expect(rows.first { $0["id"] as? String == "privesc.admin_policy" }?["kind"] as? String == "built-in")
        let coverage = try Repository.run(["coverage", "--format", "json"])
        #expect(coverage.status == 0)
        let t1485 = coverage.stdout.split(separator: "\n").first { $0.contains("\"T1485\"") } ?? ""
        #expect(t1485.contains("impact.kms_key_deletion") && t1485.contains("Data Destruction"), "\(coverage.stdout)")
        let explain = try Repository.run(["detectors", "explain", "impact.kms_key_deletion"])
        #expect(explain.status == 0, "\(explain.stderr)")
        #expect(explain.stdout.contains("kms_key_deletion.yml"))
        #expect(explain.stdout.contains("MITRE ATT&CK: T1485, T1486"))
        #expect(explain.stdout.contains("severity: high"))
        let text = try Repository.run(["coverage", "--no-rules"])
        #expect(!text.stdout.contains("impact.kms_key_deletion"))
        #expect(text.stdout.contains("T1562.008"))
    }
}
