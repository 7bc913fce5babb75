import Foundation
import TestSupport
import Testing

@Suite("trailhound scan, end to end") struct ScanCLITests {
    @Test func helpListsSubcommandsAndExitsZero() throws {
        let r = try Repository.run(["--help"])
        #expect(r.status == 0)
        for sub in ["scan", "validate", "detectors"] { #expect(r.stdout.contains(sub)) }
    }

    @Test func findsStopLoggingInGzipFileAndSummarises() throws {
        let dir = try CLI.tempDir()
        let records = (0..<50).map {
            CloudTrailRecord.call("DescribeInstances", source: "ec2.amazonaws.com", id: "bg-\($0)")
        }
        try CLI.gzip(
            CloudTrailRecord.file(records + [Records.stopLogging()]), to: dir.appendingPathComponent("a.json.gz"))
        let r = try Repository.run(["scan", dir.path, "--detectors", "detectors"])
        #expect(r.status == 0)
        let hit = r.findings.first { $0["detector"] as? String == "evasion.cloudtrail_tampering" }
        #expect(hit?["severity"] as? String == "critical")
        #expect((hit?["event_ids"] as? [String]) == ["ev-stop-1"])
        #expect(hit?["identity"] as? String == "arn:aws:iam::111122223333:role/web-app")
        #expect(r.stderr.contains("51 events"))
        #expect(r.stderr.contains("findings:"))
    }

    @Test func failOnGivesExitThreeAndFailedAttemptIsLowerSeverity() throws {
        let dir = try CLI.tempDir()
        let file = dir.appendingPathComponent("denied.json")
        try CloudTrailRecord.file([Records.stopLogging(id: "ev-denied", error: "AccessDenied")]).write(to: file)
        let r = try Repository.run(["scan", file.path, "--detectors", "detectors", "--fail-on", "low"])
        #expect(r.status == 3)
        let hit = r.findings.first { $0["detector"] as? String == "evasion.cloudtrail_tampering" }
        #expect(hit != nil)
        #expect(hit?["severity"] as? String != "critical")
        let quiet = try Repository.run(["scan", file.path, "--detectors", "detectors", "--fail-on", "critical"])
        #expect(quiet.status == 0)
    }

    @Test func readsStdin() throws {
        let data = Data((Records.stopLogging(id: "ev-stdin") + "\n").utf8)
        let r = try Repository.run(["scan", "-", "--detectors", "detectors"], stdin: data)
        #expect(r.status == 0)
        #expect(r.findings.contains { ($0["event_ids"] as? [String]) == ["ev-stdin"] })
    }

    @Test func missingPathIsReportedAndExitsOne() throws {
        let r = try Repository.run(["scan", "/nonexistent/trailhound-\(UUID().uuidString)", "--detectors", "detectors"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("[input.not_found]"))
    }

    @Test func badFlagIsUsageError() throws {
        let r = try Repository.run(["scan", ".", "--since", "yesterday"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--since"))
    }

    @Test func textFormatPrintsTable() throws {
        let dir = try CLI.tempDir()
        let file = dir.appendingPathComponent("t.json")
        try CloudTrailRecord.file([Records.stopLogging(id: "ev-text")]).write(to: file)
        let r = try Repository.run(["scan", file.path, "--detectors", "detectors", "--format", "text"])
        #expect(r.status == 0)
        #expect(r.stdout.hasPrefix("SEVERITY"))
        #expect(r.stdout.contains("CRITICAL"))
        #expect(r.stdout.contains("evasion.cloudtrail_tampering"))
    }

    @Test func badRecordsAreReportedAndTheRestIsScanned() throws {
        let dir = try CLI.tempDir()
        let lines = [
            CloudTrailRecord.call("ListBuckets", source: "s3.amazonaws.com", id: "ok-1"),
            "this is not json",
            "42",
            Records.stopLogging(id: "ev-after-bad"),
        ]
        try CLI.gzip(Data(lines.joined(separator: "\n").utf8), to: dir.appendingPathComponent("lines.json.gz"))
        let r = try Repository.run(["scan", dir.path, "--detectors", "detectors"])
        #expect(r.status == 0)
        #expect(r.stderr.contains("lines.json.gz:2: error:"))
        #expect(r.stderr.contains("[frame.not_json]"))
        #expect(r.findings.contains { ($0["event_ids"] as? [String]) == ["ev-after-bad"] })
    }
}

@Suite("trailhound validate and detectors, end to end") struct ConfigCLITests {
    @Test func validateAcceptsShippedDetectors() throws {
        let r = try Repository.run(["validate", "--detectors", "detectors"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.contains("no problems"))
    }

    @Test func validateReportsEveryProblemWithPosition() throws {
        let dir = try CLI.tempDir()
        let good = try String(
            contentsOfFile: CLI.root.appendingPathComponent("detectors/evasion.cloudtrail_tampering.yaml").path,
            encoding: .utf8)
        try (good + "\nseverity_typo: high\n").write(
            to: dir.appendingPathComponent("a.yaml"), atomically: true, encoding: .utf8)
        try "version: 1\nid: no.such_detector\n".write(
            to: dir.appendingPathComponent("b.yaml"), atomically: true, encoding: .utf8)
        let r = try Repository.run(["validate", "--detectors", dir.path])
        #expect(r.status == 64)
        #expect(r.stderr.contains("a.yaml:"))
        #expect(r.stderr.contains("[config.unknown_key]"))
        #expect(r.stderr.contains("b.yaml:2:"))
        #expect(r.stderr.contains("[config.unknown_detector]"))
        let scan = try Repository.run(["scan", ".", "--detectors", dir.path])
        #expect(scan.status == 64)
    }

    @Test func detectorsListAndExplain() throws {
        let list = try Repository.run(["detectors", "list", "--detectors", "detectors"])
        #expect(list.status == 0)
        #expect(list.stdout.contains("evasion.cloudtrail_tampering"))
        #expect(list.stdout.contains("persistence.access_key_for_other_user"))
        let explain = try Repository.run([
            "detectors", "explain", "evasion.cloudtrail_tampering", "--detectors", "detectors",
        ])
        #expect(explain.status == 0)
        #expect(explain.stdout.contains("Effective settings"))
        #expect(explain.stdout.contains("StopLogging"))
        let unknown = try Repository.run(["detectors", "explain", "nope.nothing", "--detectors", "detectors"])
        #expect(unknown.status == 64)
    }
}

@Suite("scan --no-baselines, end to end") struct NoBaselinesCLITests {
    @Test func onlyRuleDetectorsRun() throws {
        let corpus = CLI.corpus("cloudtrail/scenarios/public_app_pivot/AWSLogs")
        let r = try Repository.run(["scan", corpus, "--detectors", "detectors", "--no-baselines"])
        #expect(r.status == 0)
        #expect(r.detectors.contains("persistence.iam_user_created"))
        #expect(r.detectors.allSatisfy { !$0.hasPrefix("identity.") && !$0.hasPrefix("discovery.") })
        let both = try Repository.run([
            "scan", corpus, "--detectors", "detectors", "--no-baselines", "--state", "/tmp/x.db",
        ])
        #expect(both.status == 64)
    }
}
