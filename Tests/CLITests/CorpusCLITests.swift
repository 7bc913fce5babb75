import Foundation
import TestSupport
import Testing

let severityOrder = ["info", "low", "medium", "high", "critical"]

/// Event ids written by `scan --events-out`.
func scannedEventIds(_ args: [String]) throws -> (CLIResult, [String]) {
    let dir = try CLI.tempDir()
    let out = dir.appendingPathComponent("events.jsonl")
    let r = try Repository.run(args + ["--events-out", out.path, "--no-progress"])
    let ids = try String(contentsOf: out, encoding: .utf8).split(separator: "\n").compactMap { line in
        ((try? JSONSerialization.jsonObject(with: Data(line.utf8))) as? [String: Any])?["eventId"] as? String
    }
    return (r, ids)
}

@Suite("labelled scenarios, end to end") struct ScenarioCLITests {
    static let scenarios = [
        "ai_workflow_compromise", "public_app_pivot", "leaked_user_key", "ci_low_and_slow", "logging_disabled",
    ]

    func labels(_ name: String) throws -> ScenarioLabels {
        let data = try Data(contentsOf: URL(fileURLWithPath: CLI.corpus("cloudtrail/scenarios/\(name)/labels.json")))
        return try JSONDecoder().decode(ScenarioLabels.self, from: data)
    }

    @Test(arguments: scenarios)
    func attackIsFoundByEveryExpectedDetector(_ name: String) throws {
        let l = try labels(name)
        let r = try Repository.run([
            "scan", CLI.corpus("cloudtrail/scenarios/\(name)/AWSLogs"), "--detectors", "detectors", "--no-progress",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        for attack in l.attacks {
            let keys = Set(attack.identity_keys)
            let ids = Set(attack.event_ids)
            let about = r.findings(about: keys, events: ids)
            let fired = Set(about.compactMap { $0["detector"] as? String })
            let missing = Set(attack.expected_detectors).subtracting(fired)
            #expect(missing.isEmpty, "\(name): expected detectors did not fire: \(missing.sorted())")
            #expect(
                about.contains { severityOrder.firstIndex(of: $0["severity"] as? String ?? "") ?? 0 >= 2 },
                "\(name): no finding at medium or above")
            // Evidence must point at the attack's own events.
            let evidence = Set(about.flatMap { $0["event_ids"] as? [String] ?? [] })
            #expect(!evidence.isDisjoint(with: ids))
        }
        // Nothing above `low` about identities outside the attack.
        let keys = Set(l.attacks.flatMap(\.identity_keys))
        let ids = Set(l.attacks.flatMap(\.event_ids))
        let noise = r.findings(outside: keys, events: ids).filter {
            (severityOrder.firstIndex(of: $0["severity"] as? String ?? "") ?? 0) > 1
        }
        #expect(noise.isEmpty, "\(name): findings above low outside the attack: \(noise.map { $0["title"] ?? "" })")
    }

    @Test func benignDriftStaysAtOrBelowLow() throws {
        let l = try labels("benign_drift")
        #expect(l.attacks.isEmpty)
        let limit = severityOrder.firstIndex(of: l.expectations?.max_severity_outside_attacks ?? "low") ?? 1
        let r = try Repository.run([
            "scan", CLI.corpus("cloudtrail/scenarios/benign_drift/AWSLogs"), "--detectors", "detectors",
            "--fail-on", severityOrder[limit + 1],
        ])
        #expect(r.status == 0, "benign drift produced a finding above \(severityOrder[limit]): \(r.stdout)")
        #expect(r.stderr.contains("events"))
    }

    @Test func demoArchiveFindsAttacksAndSkipsDigests() throws {
        let r = try Repository.run([
            "scan", CLI.corpus("cloudtrail/demo/AWSLogs"), "--detectors", "detectors", "--fail-on", "high",
        ])
        #expect(r.status == 3)
        #expect(
            r.detectors.isSuperset(of: [
                "credentials.exfiltration", "evasion.cloudtrail_tampering", "privesc.admin_policy",
            ]))
        #expect(r.stderr.contains("input.digest_skipped="))
        #expect(!r.stderr.contains("error:"), "\(r.stderr)")
    }
}

@Suite("bad input, end to end") struct MalformedCLITests {
    static let cases: [MalformedCase] = {
        let url = URL(fileURLWithPath: CLI.corpus("cloudtrail/malformed/cases.json"))
        guard let data = try? Data(contentsOf: url), let c = try? JSONDecoder().decode(MalformedCases.self, from: data)
        else { return [] }
        return c.cases
    }()

    @Test func casesAreThere() { #expect(Self.cases.count >= 13) }

    @Test(arguments: cases.map(\.file))
    func badPartIsDiagnosedAndGoodEventsAreKept(_ file: String) throws {
        let c = try #require(Self.cases.first { $0.file == file })
        let (r, ids) = try scannedEventIds([
            "scan", CLI.corpus("cloudtrail/malformed/\(file)"), "--detectors", "detectors",
        ])
        #expect(r.status == 0)
        if c.expected_codes.isEmpty {
            #expect(!r.stderr.contains(": error:"), "\(file): \(r.stderr)")
        } else {
            #expect(c.expected_codes.contains { r.stderr.contains("[\($0)]") }, "\(file): \(r.stderr)")
            #expect(r.stderr.contains(file + ":") || r.stderr.contains(file + " "), "diagnostic names the file")
        }
        #expect(Set(c.good_event_ids).isSubset(of: Set(ids)), "\(file): good events lost")
    }

    @Test func allBadFilesInOneRunStillScanEverything() throws {
        let (r, ids) = try scannedEventIds(["scan", CLI.corpus("cloudtrail/malformed"), "--detectors", "detectors"])
        #expect(r.status == 0)
        let good = Set(Self.cases.flatMap(\.good_event_ids))
        #expect(good.isSubset(of: Set(ids)))
        for code in [
            "gzip.truncated", "gzip.corrupt", "frame.not_json", "decode.not_object", "frame.too_large",
            "decode.invalid_utf8", "decode.missing_identity", "decode.missing_field", "decode.bad_time",
        ] {
            #expect(r.stderr.contains("\(code)="), "summary counts \(code)")
        }
    }
}

@Suite("input shapes, end to end") struct FormatsCLITests {
    static let files = [
        "cloudtrail-lines-multimember.jsonl.gz", "cloudtrail-lines.jsonl", "cloudtrail-lines.jsonl.gz",
        "cloudtrail-records-multimember.json.gz", "cloudtrail-records-pretty.json", "cloudtrail-records.json",
        "cloudtrail-records.json.gz", "eventbridge.jsonl", "eventbridge.jsonl.gz", "cloudwatch-firehose.json.gz",
        "ocsf-api-activity.jsonl.gz", "logstash-cloudtrail.jsonl",
    ]

    /// Findings of `scan FILE --format json`, with the file's own name replaced so shapes compare.
    func findings(_ file: String) throws -> [String] {
        let r = try Repository.run([
            "scan", CLI.corpus("cloudtrail/formats/\(file)"), "--detectors", "detectors", "--format", "json",
            "--no-progress",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        return r.stdout.split(separator: "\n").map { $0.replacingOccurrences(of: file, with: "FILE") }
    }

    /// Re-shipped records (OCSF API Activity from Security Lake, Logstash's codec) give the very
    /// findings, word for word, that the raw CloudTrail lines give.
    @Test(arguments: ["ocsf-api-activity.jsonl.gz", "logstash-cloudtrail.jsonl"])
    func reshippedRecordsGiveTheSameFindings(_ file: String) throws {
        let expected = try findings("cloudtrail-lines.jsonl")
        #expect(!expected.isEmpty)
        #expect(try findings(file) == expected)
    }

    @Test(arguments: files)
    func everyShapeYieldsTheSameEvents(_ file: String) throws {
        let manifest =
            try JSONSerialization.jsonObject(
                with: Data(contentsOf: URL(fileURLWithPath: CLI.corpus("cloudtrail/formats/manifest.json"))))
            as? [String: Any]
        let expected = Set(manifest?["event_ids"] as? [String] ?? [])
        #expect(expected.count == 60)
        let (r, ids) = try scannedEventIds([
            "scan", CLI.corpus("cloudtrail/formats/\(file)"), "--detectors", "detectors",
        ])
        #expect(r.status == 0)
        #expect(Set(ids) == expected, "\(file)")
        #expect(!r.stderr.contains(": error:"), "\(r.stderr)")
    }
}
