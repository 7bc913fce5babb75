import Foundation
import TestSupport
import Testing

@Suite("URL inputs and --version, end to end") struct UsageCLITests {
    @Test(arguments: [
        ["scan", "gs://bucket/AWSLogs"], ["watch", "sqs://queue", "--state", "/tmp/x.db"],
        ["watch", "s3://bucket/AWSLogs", "--state", "/tmp/x.db"],
        ["investigate", "role/web-app", "gs://bucket/AWSLogs"],
    ])
    func anUnknownSchemeIsAUsageErrorNamingWhatIsSupported(_ args: [String]) throws {
        let r = try Repository.run(args + ["--detectors", "detectors"])
        #expect(r.status == 64, "\(r.stderr)")
        let scheme = (args.first { $0.contains("://") } ?? "").components(separatedBy: "://")[0]
        #expect(r.stderr.contains("input scheme \(scheme):// is not supported"), "\(r.stderr)")
        let supported = args[0] == "watch" ? "none yet" : "s3://"
        #expect(r.stderr.contains("URL schemes supported: \(supported)"))
        #expect(r.stdout.isEmpty)
    }

    @Test func aLocalPathThatLooksLikeAURLStillWorks() throws {
        let dir = try CLI.tempDir()
        try FileManager.default.createDirectory(
            at: dir.appendingPathComponent("s3:"), withIntermediateDirectories: true)
        let file = dir.appendingPathComponent("s3:/x.json")
        try CloudTrailRecord.file([Records.stopLogging()]).write(to: file)
        let r = try Repository.run(["scan", dir.path + "/s3://x.json", "--detectors", "detectors"])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.detectors.contains("evasion.cloudtrail_tampering"))
    }

    @Test func aServiceConfigInputWithAnUnknownSchemeIsAConfigError() throws {
        let dir = try CLI.tempDir()
        let config = dir.appendingPathComponent("watch.yaml")
        try "version: 1\nstate: s.db\ninputs:\n  - path: s3://bucket/AWSLogs\n".write(
            to: config, atomically: true, encoding: .utf8)
        let r = try Repository.run(["watch", "--config", config.path, "--check-config", "--detectors", "detectors"])
        #expect(r.status == 64)
        #expect(r.stderr.contains("watch.yaml:4:") && r.stderr.contains("[config.unsupported_scheme]"), "\(r.stderr)")
    }

    @Test func versionPrintsVersionCommitAndDate() throws {
        let r = try Repository.run(["--version"])
        #expect(r.status == 0)
        let line = r.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        // A plain `swift build` says "dev"; scripts/release.sh stamps the commit and the date.
        let pattern = #/^trailhound \d+\.\d+\.\d+(-[0-9A-Za-z.]+)? \(commit [0-9a-z.+-]+, built [0-9A-Za-z:.+-]+\)$/#
        #expect(line.wholeMatch(of: pattern) != nil, "\(line)")
    }

    @Test func findingsCarryTheVersionAsTheirLastFact() throws {
        let dir = try CLI.tempDir()
        let file = dir.appendingPathComponent("a.json")
        try CloudTrailRecord.file([Records.stopLogging()]).write(to: file)
        let r = try Repository.run(["scan", file.path, "--detectors", "detectors"])
        let version = try Repository.run(["--version"]).stdout.split(separator: " ")[1]
        #expect(!r.findings.isEmpty)
        for line in r.stdout.split(separator: "\n") {
            #expect(line.contains(#""trailhound_version":"\#(version)"},"mitre":"#), "\(line)")
        }
    }
}
