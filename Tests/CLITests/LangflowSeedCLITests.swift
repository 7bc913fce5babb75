import Foundation
import TestSupport
import Testing

/// The seed scenario end to end (corpora/workflow/langflow-seed/, tools/gen_langflow_seed.py): a real
/// nginx JSON access log and real Langflow 1.2.0 stdout under the CVE-2025-3248 proof of concept,
/// and CloudTrail of the server's instance role. Scanned with the scenario's overlays (deployment
/// mapping, Langflow record mapping with the server's name, `workloads:`) merged over the repository's
/// detectors/ and formats/, as tools/evaluate.py does.
@Suite("Langflow seed scenario: front door to cloud") struct LangflowSeedCLITests {
    static let seed = CLI.corpus("workflow/langflow-seed")
    static let role = "arn:aws:iam::482913376051:role/langflow-server"
    static let requester = "workflow:langflow-prod/anonymous"

    /// `--detectors` / `--formats` directories: the repository's files with the scenario's on top.
    func overlays(in dir: URL) throws -> [String] {
        let fm = FileManager.default
        var args: [String] = []
        for kind in ["detectors", "formats"] {
            let merged = dir.appendingPathComponent(kind)
            try fm.createDirectory(at: merged, withIntermediateDirectories: true)
            for base in [CLI.root.appendingPathComponent(kind).path, Self.seed + "/" + kind] {
                for name in try fm.contentsOfDirectory(atPath: base) where name.hasSuffix(".yaml") {
                    let target = merged.appendingPathComponent(name)
                    try? fm.removeItem(at: target)
                    try fm.copyItem(atPath: base + "/" + name, toPath: target.path)
                }
            }
            args += ["--\(kind)", merged.path]
        }
        return args
    }

    func scan(_ inputs: [String], extra: [String] = []) throws -> CLIResult {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        return try Repository.run(["scan"] + inputs + (try overlays(in: dir)) + ["--no-progress"] + extra)
    }

    func facts(_ f: [String: Any]) -> [String: String] { f["facts"] as? [String: String] ?? [:] }

    @Test func theExploitIsCriticalFromTheProxyLogAndConfirmedByTheServer() throws {
        let r = try scan([Self.seed + "/logs"], extra: ["--incidents"])
        #expect(r.status == 0, "\(r.stderr.suffix(1500))")
        let findings = r.findings.filter { $0["type"] == nil }
        let request = try #require(
            findings.first {
                $0["detector"] as? String == "workflow.unauthenticated_execution"
                    && facts($0)["client"] == "203.0.113.66"
            })
        #expect(request["severity"] as? String == "critical")
        #expect((request["event_ids"] as? [String])?.first?.hasPrefix("nginx-json:") == true)
        let confirmed = try #require(
            findings.first { $0["detector"] as? String == "workflow.code_execution_confirmed" })
        #expect(confirmed["severity"] as? String == "critical")
        #expect(facts(confirmed)["server_record"]?.contains("uid=0(root)") == true)
        #expect(confirmed["identity"] as? String == Self.requester)
        // The logged-in user's failing code (same server, seconds earlier) is not a finding at all.
        #expect(!findings.contains { facts($0)["client"] == "10.20.0.5" })
        #expect(
            findings.contains {
                $0["detector"] as? String == "workflow.workload_activity" && $0["identity"] as? String == Self.role
            })
    }

    @Test func oneIncidentRunsFromTheClientAddressToTheRole() throws {
        let r = try scan([Self.seed + "/logs"], extra: ["--incidents"])
        let incidents = r.findings.filter { $0["type"] as? String == "incident" }
        #expect(incidents.count == 1)
        let i = try #require(incidents.first)
        #expect(i["severity"] as? String == "critical")
        #expect(i["identities"] as? [String] == [Self.requester, Self.role])
        let chain = try #require((i["chain"] as? [[String: Any]])?.first)
        #expect(chain["kind"] as? String == "workload")
        let timeline = i["timeline"] as? [[String: Any]] ?? []
        let step = try #require(timeline.first { $0["kind"] as? String == "chain" })
        #expect(
            (step["title"] as? String)?.hasPrefix("client 203.0.113.66 → /api/v1/validate/code on langflow-prod")
                == true)
        let detectors = Set(i["detectors"] as? [String] ?? [])
        #expect(
            detectors.isSuperset(of: [
                "workflow.code_execution_confirmed", "credentials.exfiltration", "secrets.enumeration",
            ]))
    }

    @Test func investigatingTheRequesterShowsBothHalves() throws {
        let dir = try CLI.tempDir()
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try Repository.run(
            ["investigate", Self.requester, Self.seed + "/logs", "--format", "json"] + (try overlays(in: dir)))
        #expect(r.status == 0, "\(r.stderr.suffix(1500))")
        let report = try #require(
            try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let principals = (report["identities"] as? [[String: Any]] ?? []).compactMap { $0["identity"] as? String }
        #expect(principals == [Self.requester, Self.role])
        let detectors = Set((report["findings"] as? [[String: Any]] ?? []).compactMap { $0["detector"] as? String })
        #expect(detectors.isSuperset(of: ["workflow.unauthenticated_execution", "credentials.exfiltration"]))
    }

    @Test func withTheCombinedFormatTheServersRecordRaisesTheExploitToHigh() throws {
        let real = CLI.corpus("workflow/langflow-real/1.2.0/container")
        let r = try scan([real + "/access.log", real + "/stdout.log.gz"])
        #expect(r.status == 0, "\(r.stderr.suffix(1500))")
        let findings = r.findings
        let confirmed = try #require(
            findings.first { $0["detector"] as? String == "workflow.code_execution_confirmed" })
        #expect(confirmed["severity"] as? String == "high")
        #expect(facts(confirmed)["client"] == "203.0.113.66")
        #expect(facts(confirmed)["authenticated"] == "unknown")
        // combined says nothing of credentials: the user who logged in from 10.20.0.5 stays low.
        let user = findings.filter { facts($0)["client"] == "10.20.0.5" || facts($0)["source_ip"] == "10.20.0.5" }
        #expect(user.allSatisfy { ["info", "low"].contains($0["severity"] as? String ?? "") }, "\(user)")
    }
}
