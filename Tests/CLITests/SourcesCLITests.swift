import Foundation
import TestSupport
import Testing

@Suite("Kubernetes, GCP, Azure and workflow corpora, end to end") struct SourcesCLITests {
    static let formats = ["kubernetes", "gcp", "azure", "workflow"]

    func labels(_ format: String) throws -> SourceLabels {
        let data = try Data(contentsOf: URL(fileURLWithPath: CLI.corpus("\(format)/labels.json")))
        return try JSONDecoder().decode(SourceLabels.self, from: data)
    }

    /// The `code=N` count of a diagnostics summary line, 0 when absent.
    func count(_ code: String, in stderr: String) -> Int {
        guard let r = stderr.range(of: code + "=") else { return 0 }
        return Int(stderr[r.upperBound...].prefix { $0.isNumber }) ?? 0
    }

    func rank(_ f: [String: Any]) -> Int { severityOrder.firstIndex(of: f["severity"] as? String ?? "") ?? 0 }

    @Test(arguments: formats)
    func attackIsFoundWithTheExpectedDetectors(_ format: String) throws {
        let l = try labels(format)
        #expect(l.format == format)
        let r = try Repository.run(["scan", CLI.corpus("\(format)/logs"), "--detectors", "detectors", "--no-progress"])
        #expect(r.status == 0, "\(r.stderr.suffix(2000))")
        #expect(!r.stderr.contains(": error:"), "\(format): \(r.stderr.prefix(2000))")
        for attack in l.attacks {
            let keys = Set(attack.identity_keys)
            let ids = Set(attack.event_ids)
            let about = r.findings(about: keys, events: ids)
            let fired = Set(about.compactMap { $0["detector"] as? String })
            let missing = Set(attack.expected_detectors).subtracting(fired)
            #expect(
                missing.isEmpty, "\(format)/\(attack.name ?? "?"): expected detectors did not fire: \(missing.sorted())"
            )
            #expect(about.contains { rank($0) >= 2 }, "\(format)/\(attack.name ?? "?"): nothing at medium or above")
            let evidence = Set(about.flatMap { $0["event_ids"] as? [String] ?? [] })
            #expect(
                !evidence.isDisjoint(with: ids), "\(format)/\(attack.name ?? "?"): evidence misses the attack's events")
        }
        let keys = Set(l.attacks.flatMap(\.identity_keys))
        let ids = Set(l.attacks.flatMap(\.event_ids))
        let noise = r.findings(outside: keys, events: ids).filter { rank($0) > 1 }
        #expect(noise.isEmpty, "\(format): findings above low outside the attack: \(noise.map { $0["title"] ?? "" })")
    }

    @Test(arguments: formats)
    func benignBackgroundStaysAtOrBelowLow(_ format: String) throws {
        let r = try Repository.run([
            "scan", CLI.corpus("\(format)/logs/background"), "--detectors", "detectors", "--fail-on", "medium",
            "--no-progress",
        ])
        #expect(r.status == 0, "\(format): background produced findings above low: \(r.stdout.prefix(3000))")
        #expect(r.stderr.contains(" events "))
        #expect(!r.stderr.contains(": error:"), "\(r.stderr.prefix(2000))")
    }

    @Test(arguments: formats)
    func malformedInputIsDiagnosedAndGoodEventsAreKept(_ format: String) throws {
        let l = try labels(format)
        #expect(l.malformed.count == 2)
        for c in l.malformed {
            let (r, ids) = try scannedEventIds([
                "scan", CLI.corpus("\(format)/malformed/\(c.file)"), "--detectors", "detectors",
            ])
            #expect(r.status == 0)
            #expect(c.expected_codes.contains { r.stderr.contains("[\($0)]") }, "\(format)/\(c.file): \(r.stderr)")
            #expect(!c.good_event_ids.isEmpty)
            #expect(Set(c.good_event_ids).isSubset(of: Set(ids)), "\(format)/\(c.file): good events lost")
        }
    }

    @Test func nonFinalKubernetesStagesAreCountedNotPrinted() throws {
        let r = try Repository.run([
            "scan", CLI.corpus("kubernetes/logs/incident"), "--detectors", "detectors", "--no-progress",
        ])
        #expect(r.stderr.contains("decode.k8s_non_final_stage="))
        #expect(!r.stderr.contains("[decode.k8s_non_final_stage]"))
    }

    @Test func everyFormatMixedInOneDirectory() throws {
        // One directory holding all four corpora's incident days: each record finds its format by content.
        let dir = try CLI.tempDir()
        for f in Self.formats {
            let src = URL(fileURLWithPath: CLI.corpus("\(f)/logs/incident"))
            for name in try FileManager.default.contentsOfDirectory(atPath: src.path) {
                try FileManager.default.copyItem(
                    at: src.appendingPathComponent(name), to: dir.appendingPathComponent("\(f)-\(name)"))
            }
        }
        let (r, ids) = try scannedEventIds(["scan", dir.path, "--detectors", "detectors"])
        #expect(r.status == 0)
        #expect(
            count("decode.unknown_format", in: r.stderr) <= 1,
            "only Langflow's application line is unknown: \(r.stderr.suffix(600))")
        for f in Self.formats {
            let attackIds = try labels(f).attacks.flatMap(\.event_ids)
            #expect(Set(attackIds).isSubset(of: Set(ids)), "\(f): attack events not decoded in a mixed directory")
        }
    }

    @Test func withoutTheMappingLangflowLinesAreUnknown() throws {
        let empty = try CLI.tempDir()
        let file = CLI.corpus("workflow/logs/incident/2026-03-11-lf-edge-loguru.jsonl.gz")
        let mapped = try Repository.run(["scan", file, "--detectors", "detectors", "--no-progress"])
        #expect(mapped.detectors.contains("workflow.unauthenticated_execution"))
        let unmapped = try Repository.run([
            "scan", file, "--detectors", "detectors", "--formats", empty.path, "--no-progress",
        ])
        #expect(unmapped.findings.isEmpty)
        #expect(unmapped.stderr.contains("[decode.unknown_format]"))
    }

    @Test func validateChecksFormatMappings() throws {
        let ok = try Repository.run(["validate", "--detectors", "detectors"])
        #expect(ok.status == 0, "\(ok.stderr)")
        #expect(ok.stdout.contains("format mapping(s), "))
        #expect(ok.stdout.contains("deployment(s), no problems"))
        let dir = try CLI.tempDir()
        let bad = """
            version: 1
            name: broken
            match:
              keys: [ts]
            fields:
              timestamp: ts
              pathh: req.path
            extract:
              - from: msg
                template: '{method}{path}'
            """
        try bad.write(to: dir.appendingPathComponent("broken.yaml"), atomically: true, encoding: .utf8)
        let r = try Repository.run(["validate", "--detectors", "detectors", "--formats", dir.path])
        #expect(r.status == 64)
        #expect(r.stderr.contains("broken.yaml:7:"), "\(r.stderr)")
        #expect(r.stderr.contains("[config.unknown_key]"))
        #expect(r.stderr.contains("[config.value]"))
        let scan = try Repository.run([
            "scan", CLI.corpus("workflow/logs/incident"), "--detectors", "detectors", "--formats", dir.path,
        ])
        #expect(scan.status == 64)
    }
}
