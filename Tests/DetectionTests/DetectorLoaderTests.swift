import Detection
import EventModel
import Foundation
import Testing

@Suite struct DetectorLoaderTests {
    /// Files written to a temporary directory; each broken in one way except `a-good`.
    let files: [String: String] = [
        "a-good.yaml": """
        version: 1
        id: test.all
        description: the good one
        enabled: true
        severity: medium
        failed_severity: info
        dedup_window: 90s
        allowlist:
          - identity: "arn:aws:iam::*:role/terraform-*"
            source: 10.0.0.0/8
            reason: pipeline
            expires: 2027-01-31
        settings:
          threshold: 3
          names: [a, b]
          window: 2h
        """,
        "b-unknown-key.yaml": probeYAML("settings:\n  threshold: 3\n  treshold: 4\n"),
        "c-bad-severity.yaml": probeYAML().replacingOccurrences(of: "severity: high", with: "severity: severe"),
        "d-unknown-detector.yaml": "version: 1\nid: test.nope\nseverity: high\n",
        "e-syntax.yaml": "version: 1\nid: test.probe\nsettings: [a\n",
        "f-no-version.yaml": "id: test.probe\n",
        "g-version-2.yaml": "version: 2\nid: test.probe\n",
        "h-allowlist.yaml": probeYAML(
            """
            allowlist:
              - identity: x
              - source: 10.0.0.0/33
                reason: bad cidr
              - operation: Get*
                reason: bad date
                expires: next week
              - reason: matches everything
            """),
        "i-range.yaml": probeYAML("settings:\n  threshold: 50\n"),
        "notes.txt": "not a detector file",
    ]

    func withDirectory(_ body: (String) throws -> Void) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        for (name, text) in files { try text.write(toFile: dir + "/" + name, atomically: true, encoding: .utf8) }
        try body(dir)
    }

    @Test func everyIssueOfEveryFileIsReportedAtOnce() throws {
        try withDirectory { dir in
            let set = DetectorLoader.load(directory: dir, registry: probeRegistry)
            #expect(set.files.count == 9)
            #expect(!set.files.contains { $0.hasSuffix("notes.txt") })
            let own = set.issues.filter { $0.code != "config.duplicate_id" }
            func codes(_ file: String) -> [String] { own.filter { $0.file.hasSuffix("/" + file) }.map(\.code) }
            func lines(_ file: String) -> [Int] { own.filter { $0.file.hasSuffix("/" + file) }.map(\.line) }
            #expect(codes("a-good.yaml").isEmpty)
            #expect(codes("b-unknown-key.yaml") == ["config.unknown_key"])
            #expect(lines("b-unknown-key.yaml") == [6])
            #expect(codes("c-bad-severity.yaml") == ["config.value"])
            #expect(lines("c-bad-severity.yaml") == [3])
            #expect(codes("d-unknown-detector.yaml").first == "config.unknown_detector")
            #expect(lines("d-unknown-detector.yaml").first == 2)
            #expect(codes("e-syntax.yaml") == ["config.yaml"])
            #expect(codes("f-no-version.yaml") == ["config.missing_key"])
            #expect(codes("g-version-2.yaml") == ["config.version"])
            #expect(lines("g-version-2.yaml") == [1])
            #expect(
                codes("h-allowlist.yaml") == [
                    "config.missing_key", "config.value", "config.type", "config.allowlist_empty",
                ])
            #expect(lines("h-allowlist.yaml") == [5, 6, 10, 11])
            #expect(codes("i-range.yaml") == ["config.range"])
            #expect(lines("i-range.yaml") == [5])
            // Six files that load name test.probe: every one after the first is a duplicate.
            let duplicates = set.issues.filter { $0.code == "config.duplicate_id" }
            #expect(duplicates.count == 5)
            #expect(duplicates.first?.message.contains("b-unknown-key.yaml") == true)
            #expect(duplicates.allSatisfy { $0.message.contains("test.probe") && !$0.message.contains($0.file) })
            for issue in set.issues where issue.code != "config.duplicate_id" {
                #expect(issue.line > 0, "\(issue)")
                #expect(issue.description.hasPrefix("\(issue.file):\(issue.line):"))
                #expect(issue.description.hasSuffix("[\(issue.code)]"))
            }
        }
    }

    @Test func goodFileLoadsItsSpecAndSettings() throws {
        try withDirectory { dir in
            let set = DetectorLoader.load(directory: dir, registry: probeRegistry)
            let good = try #require(set.detectors.first { $0.spec.id == "test.all" })
            #expect(good.spec.severity == .medium)
            #expect(good.spec.failedSeverity == .info)
            #expect(good.spec.dedupWindow == 90_000)
            #expect(good.spec.file.hasSuffix("a-good.yaml"))
            let entry = try #require(good.spec.allowlist.first)
            #expect(entry.identity == "arn:aws:iam::*:role/terraform-*")
            #expect(entry.source == "10.0.0.0/8")
            #expect(entry.reason == "pipeline")
            #expect(
                entry.expires == Timestamp.parse("2027-01-31T23:59:59.999Z"), "a bare date lasts to the end of that day"
            )
            #expect(entry.line == 9)
            let probe = try #require(good.detector as? ProbeDetector)
            #expect(probe.threshold == 3)
            #expect(probe.names == ["a", "b"])
            #expect(probe.window == 7_200_000)
        }
    }

    @Test func unknownDetectorReportsOnlyTheId() {
        let (d, issues) = loadProbe("version: 1\nid: test.nope\nseverity: high\nsettings:\n  a: 1\n")
        #expect(d == nil)
        #expect(issues.first?.code == "config.unknown_detector")
        #expect(issues.count == 1, "\(issues)")
    }

    @Test func defaultsComeFromTheRegistry() {
        let (d, issues) = loadProbe("version: 1\nid: test.probe\n")
        #expect(issues.isEmpty)
        #expect(d?.spec.severity == .medium)
        #expect(d?.spec.failedSeverity == .low)
        #expect(d?.spec.dedupWindow == 3_600_000)
        #expect(d?.spec.enabled == true)
        let (info, _) = loadProbe("version: 1\nid: test.probe\nseverity: info\n")
        #expect(info?.spec.failedSeverity == .info)
    }

    @Test func missingIdIsReported() {
        let (d, issues) = loadProbe("version: 1\nseverity: high\n")
        #expect(d == nil)
        #expect(issues.map(\.code).contains("config.missing_key"))
    }

    @Test func emptyAndMissingDirectories() throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        #expect(DetectorLoader.load(directory: dir, registry: probeRegistry).issues.map(\.code) == ["config.empty"])
        #expect(
            DetectorLoader.load(directory: dir + "/nope", registry: probeRegistry).issues.map(\.code) == [
                "config.unreadable"
            ])
    }
}
