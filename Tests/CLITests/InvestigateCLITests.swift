import Foundation
import TestSupport
import Testing

/// Raw CloudTrail records of a scenario, read with the system zcat and Foundation's JSON
/// parser (independent of trailhound's decoders), by event id.
enum RawCorpus {
    static func records(_ scenario: String) throws -> [String: [String: Any]] {
        let dir = CLI.corpus("cloudtrail/scenarios/\(scenario)/AWSLogs")
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["-c", "find '\(dir)' -name '*.json.gz' -print0 | xargs -0 zcat"]
        let out = try CLI.tempDir().appendingPathComponent("raw.json")
        _ = FileManager.default.createFile(atPath: out.path, contents: nil)
        p.standardOutput = try FileHandle(forWritingTo: out)
        try p.runToExit()
        var byId: [String: [String: Any]] = [:]
        let text = try String(contentsOf: out, encoding: .utf8)
        var depth = 0
        var start = text.startIndex
        var inString = false
        var escaped = false
        for i in text.indices {
            let c = text[i]
            if inString {
                if escaped {
                    escaped = false
                } else if c == "\\" {
                    escaped = true
                } else if c == "\"" {
                    inString = false
                }
                continue
            }
            if c == "\"" { inString = true }
            if c == "{" { if depth == 0 { start = i }; depth += 1 }
            if c == "}" {
                depth -= 1
                if depth == 0,
                    let doc = try JSONSerialization.jsonObject(with: Data(text[start...i].utf8)) as? [String: Any]
                {
                    for r in doc["Records"] as? [[String: Any]] ?? [] {
                        if let id = r["eventID"] as? String { byId[id] = r }
                    }
                }
            }
        }
        return byId
    }

    /// Labelled attack steps: name → event ids.
    static func steps(_ scenario: String) throws -> [String: [String]] {
        let data = try Data(
            contentsOf: URL(fileURLWithPath: CLI.corpus("cloudtrail/scenarios/\(scenario)/labels.json")))
        let obj = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        var out: [String: [String]] = [:]
        for a in obj?["attacks"] as? [[String: Any]] ?? [] {
            for s in a["steps"] as? [[String: Any]] ?? [] { out[s["name"] as! String] = s["event_ids"] as? [String] }
        }
        return out
    }
}

/// `trailhound investigate … --format json` parsed.
func investigate(_ identity: String, _ scenario: String, from: String, to: String, extra: [String] = []) throws -> (
    CLIResult, [String: Any]
) {
    let r = try Repository.run(
        [
            "investigate", identity, CLI.corpus("cloudtrail/scenarios/\(scenario)/AWSLogs"), "--from", from, "--to", to,
            "--detectors", "detectors", "--format", "json",
        ] + extra)
    let obj = (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
    return (r, obj)
}

extension Dictionary where Key == String, Value == Any {
    func list(_ key: String) -> [[String: Any]] { self[key] as? [[String: Any]] ?? [] }
    func str(_ key: String) -> String { self[key] as? String ?? "" }
}

@Suite("trailhound investigate on the labelled scenarios") struct InvestigateScenarioTests {
    @Test func aiWorkflowCompromiseNamesEverySecretAndParameterReadAndTheStolenSession() throws {
        let (r, report) = try investigate(
            "arn:aws:iam::482913376051:role/langflow-server", "ai_workflow_compromise", from: "2025-06-10",
            to: "2025-06-10")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(report.str("verdict") == "compromised")
        let raw = try RawCorpus.records("ai_workflow_compromise")
        let steps = try RawCorpus.steps("ai_workflow_compromise")
        var secrets: Set<String> = []
        var parameters: Set<String> = []
        for id in (steps["secrets_harvest"] ?? []) + (steps["parameters_harvest"] ?? []) {
            let e = try #require(raw[id], "labelled event \(id) not in the corpus")
            guard e["errorCode"] == nil, let p = e["requestParameters"] as? [String: Any] else { continue }
            switch e["eventName"] as? String {
            // The report names a secret once whether it was read by ARN or by name (Resource.canonicalID).
            case "GetSecretValue": secrets.insert(canonicalSecret(p["secretId"] as! String))
            case "GetParameter": parameters.insert(p["name"] as! String)
            case "GetParameters": parameters.formUnion(p["names"] as! [String])
            case "GetParametersByPath": parameters.insert(p["path"] as! String)
            default: break
            }
        }
        #expect(secrets.count >= 30)
        let reads = report.list("reads")
        let readSecrets = Set(
            reads.filter { $0.str("kind") == "secret" && ($0["count"] as? Int ?? 0) > 0 }.map { $0.str("resource") })
        let readParameters = Set(
            reads.filter { $0.str("kind") == "parameter" && ($0["count"] as? Int ?? 0) > 0 }.map { $0.str("resource") })
        #expect(
            secrets.subtracting(readSecrets).isEmpty,
            "secrets missing from the report: \(secrets.subtracting(readSecrets).sorted())")
        #expect(
            parameters.subtracting(readParameters).isEmpty,
            "parameters missing: \(parameters.subtracting(readParameters).sorted())")
        let firstTime = reads.filter { $0.str("kind") == "secret" && $0["first_time"] as? Bool == true }
        #expect(firstTime.count >= 30)
        let outsideKey =
            try #require(raw[steps["credential_use_outside"]![0]]?["userIdentity"] as? [String: Any])["accessKeyId"]
            as! String
        let cred = report.list("credentials").first { $0.str("access_key_id") == outsideKey }
        #expect(cred?.str("verdict") == "stolen")
        #expect(
            cred?.list("sources").contains {
                $0.str("source") == "45.147.142.231" && $0["new_network"] as? Bool == true
            } == true)
        let actions = report.list("remediation").map { $0.str("action") }
        #expect(actions.contains("Revoke every session of role langflow-server issued before now"))
        #expect(actions.contains { $0.hasPrefix("Rotate") && $0.contains("secret") })
    }

    @Test func publicAppPivotNamesTheFullChainEveryPersistenceArtifactAndTheBackdoorUse() throws {
        let (r, report) = try investigate(
            "arn:aws:iam::482913376051:role/storefront-web", "public_app_pivot", from: "2025-06-10", to: "2025-06-10")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(report.str("verdict") == "compromised")
        let steps = try RawCorpus.steps("public_app_pivot")
        let identities = report.list("identities").map { $0.str("identity") }
        #expect(
            identities == [
                "arn:aws:iam::482913376051:role/storefront-web", "arn:aws:iam::482913376051:role/platform-admin",
                "arn:aws:iam::482913376051:user/svc-metrics-exporter",
            ])
        let chain = report.list("chain")
        let assume = chain.first { $0.str("kind") == "assumed_role" }
        #expect(assume?.str("to") == "arn:aws:iam::482913376051:role/platform-admin")
        #expect(assume?.str("event_id") == steps["role_chain"]?.first)
        #expect(
            chain.contains {
                $0.str("kind") == "created_user"
                    && $0.str("to") == "arn:aws:iam::482913376051:user/svc-metrics-exporter"
            })
        let persisted = Set(report.list("persistence").map { $0.str("event_id") })
        for step in ["create_user", "access_key", "admin_policy", "login_profile", "trust_external"] {
            for id in steps[step] ?? [] { #expect(persisted.contains(id), "persistence step \(step) (\(id)) missing") }
        }
        #expect(report.list("persistence").allSatisfy { $0.str("status") == "active" })
        let backdoor = Set(steps["backdoor_use"] ?? [])
        let adjacent = report.list("adjacent").first { $0.str("relation") == "created_access_key" }
        #expect(adjacent?.str("used_by") == "arn:aws:iam::482913376051:user/svc-metrics-exporter")
        #expect(adjacent?["count"] as? Int == backdoor.count)
        #expect((adjacent?["sources"] as? [String]) == ["45.88.213.215"])
        let nodes = (report["trust_graph"] as? [String: Any])?.list("nodes") ?? []
        #expect(nodes.contains { $0.str("id") == "arn:aws:iam::999988887777:root" && $0.str("kind") == "external" })
        let detectors = Set(report.list("findings").map { $0.str("detector") })
        #expect(
            detectors.isSuperset(of: [
                "identity.role_chain", "persistence.iam_user_created", "persistence.role_trust_external",
            ]))
        let remediation = report.list("remediation")
        #expect(remediation.first?.str("risk") == "critical")
        let actions = remediation.map { $0.str("action") }
        #expect(actions.contains("Delete user svc-metrics-exporter"))
        #expect(actions.contains("Restore the trust policy of role platform-admin"))
        #expect(actions.contains { $0.hasPrefix("Deactivate, then delete, access key AKIA") })
    }

    @Test func leakedUserKeyNamesTheBulkDownloadTheLaunchedInstancesAndTheKey() throws {
        let (r, report) = try investigate("user/d.okafor", "leaked_user_key", from: "2025-06-10", to: "2025-06-10")
        #expect(r.status == 0, "\(r.stderr)")
        #expect(report.str("verdict") == "compromised")
        #expect((report["target"] as? [String: Any])?.str("identity") == "arn:aws:iam::482913376051:user/d.okafor")
        let raw = try RawCorpus.records("leaked_user_key")
        let steps = try RawCorpus.steps("leaked_user_key")
        var objects: Set<String> = []
        for id in steps["bulk_download"] ?? [] {
            guard let e = raw[id], e["eventName"] as? String == "GetObject",
                let p = e["requestParameters"] as? [String: Any]
            else { continue }
            objects.insert("\(p["bucketName"]!)/\(p["key"]!)")
        }
        #expect(objects.count >= 400)
        let read = Set(report.list("reads").filter { $0.str("kind") == "object" }.map { $0.str("resource") })
        #expect(objects.subtracting(read).isEmpty, "\(objects.subtracting(read).count) objects missing")
        var launched: Set<String> = []
        for id in steps["gpu_launch"] ?? [] {
            guard let e = raw[id], e["eventName"] as? String == "RunInstances", e["errorCode"] == nil,
                let items = ((e["responseElements"] as? [String: Any])?["instancesSet"] as? [String: Any])?["items"]
                    as? [[String: Any]]
            else { continue }
            for i in items { launched.insert(i["instanceId"] as! String) }
        }
        #expect(!launched.isEmpty)
        let instances = Set(report.list("persistence").filter { $0.str("kind") == "instance" }.map { $0.str("id") })
        #expect(instances == launched)
        let key = report.list("credentials").first { $0.str("key_kind") == "long_lived" }
        #expect(key?.str("verdict") == "stolen")
        #expect(report.list("remediation").first?.str("action").hasPrefix("Deactivate access key") == true)
    }

    @Test func benignIdentityGivesAShortQuietReport() throws {
        let r = try Repository.run([
            "investigate", "role/orders-api-task", CLI.corpus("cloudtrail/scenarios/public_app_pivot/AWSLogs"),
            "--from", "2025-06-10", "--to", "2025-06-10", "--detectors", "detectors",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.hasPrefix("# Investigation: role/orders-api-task"))
        #expect(r.stdout.contains("**Verdict: QUIET**"))
        #expect(r.stdout.contains("No action needed"))
        #expect(!r.stdout.contains("LOOKS STOLEN"))
        #expect(r.stdout.split(separator: "\n").count < 90)
        #expect(r.stderr.contains("verdict quiet"))
    }

    @Test func jsonIsByteForByteStable() throws {
        let args = [
            "investigate", "arn:aws:iam::482913376051:role/storefront-web",
            CLI.corpus("cloudtrail/scenarios/public_app_pivot/AWSLogs"),
            "--from", "2025-06-10", "--to", "2025-06-10", "--detectors", "detectors", "--format", "json", "--quiet",
        ]
        let a = try Repository.run(args)
        let b = try Repository.run(args + ["--jobs", "1"])
        #expect(a.status == 0)
        #expect(!a.stdout.isEmpty)
        #expect(a.stdout == b.stdout)
    }

    @Test func accessKeyTargetAndOutputFile() throws {
        let dir = try CLI.tempDir()
        let out = dir.appendingPathComponent("report.md")
        let r = try Repository.run([
            "investigate", "AKIANSHKXB2LCASBT6V7", CLI.corpus("cloudtrail/scenarios/public_app_pivot/AWSLogs"),
            "--detectors", "detectors", "--output", out.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        #expect(r.stdout.isEmpty)
        let text = try String(contentsOf: out, encoding: .utf8)
        #expect(text.hasPrefix("# Investigation: user/svc-metrics-exporter"))
        #expect(r.stderr.contains("report written to \(out.path)"))
    }

    @Test func stateFileOfARunningServiceGivesTheBeforeBaseline() throws {
        let dir = try CLI.tempDir()
        let state = dir.appendingPathComponent("state.db").path
        let root = CLI.corpus("cloudtrail/scenarios/public_app_pivot/AWSLogs/482913376051/CloudTrail")
        let scan = try Repository.run([
            "scan", root, "--detectors", "detectors", "--state", state, "--until", "2025-06-08T22:00:00Z",
            "--no-progress",
        ])
        #expect(scan.status == 0, "\(scan.stderr)")
        let day = ["eu-west-1", "us-east-1"].map { "\(root)/\($0)/2025/06/10" }
        let args =
            ["investigate", "arn:aws:iam::482913376051:role/storefront-web"] + day + [
                "--detectors", "detectors", "--format", "json",
            ]
        let without = try Repository.run(args)
        let with = try Repository.run(args + ["--state", state])
        #expect(with.status == 0, "\(with.stderr)")
        func parse(_ r: CLIResult) -> [String: Any] {
            (try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8))) as? [String: Any] ?? [:]
        }
        let a = parse(without), b = parse(with)
        #expect(a.list("identities").first?["baseline_days"] is NSNull)
        #expect((b.list("identities").first?["baseline_days"] as? Int ?? 0) >= 5)
        let secret = b.list("reads").first {
            $0.str("kind") == "secret" && $0.str("resource").contains("prod/storefront/db-credentials")
        }
        #expect(secret?["first_time"] as? Bool == false)
        #expect(a.list("reads").first { $0.str("kind") == "secret" }?["first_time"] is NSNull)
        #expect(FileManager.default.fileExists(atPath: state))
    }

    @Test func badWindowIsAUsageError() throws {
        let r = try Repository.run([
            "investigate", "x", ".", "--from", "2025-06-11", "--to", "2025-06-10", "--detectors", "detectors",
        ])
        #expect(r.status == 64)
        #expect(r.stderr.contains("--to is before --from"))
        let m = try Repository.run([
            "investigate", "x", "/nonexistent/trailhound-\(UUID().uuidString)", "--detectors", "detectors",
        ])
        #expect(m.status == 1)
        let nobody = try Repository.run([
            "investigate", "role/nobody", CLI.corpus("cloudtrail/scenarios/public_app_pivot/AWSLogs"), "--detectors",
            "detectors",
        ])
        #expect(nobody.status == 1)
        #expect(nobody.stderr.contains("no event in the window matched role/nobody"))
        #expect(nobody.stdout.contains("No activity of role/nobody"))
    }
}

@Suite("HTML report in a headless browser") struct InvestigateHTMLTests {
    static var chromium: String? {
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"].first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    func runChromium(_ args: [String]) throws -> (Int32, String) {
        let dir = try CLI.tempDir()
        let err = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: err.path, contents: nil)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/timeout")
        p.arguments =
            [
                "120", Self.chromium!, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr",
                "--v=0",
                "--user-data-dir=" + dir.appendingPathComponent("profile").path,
            ] + args
        p.standardError = try FileHandle(forWritingTo: err)
        p.standardOutput = FileHandle.nullDevice
        try p.runToExit()
        return (p.terminationStatus, try String(contentsOf: err, encoding: .utf8))
    }

    @Test func rendersToScreenshotAndPDFWithoutErrors() throws {
        #expect(Self.chromium != nil, "chromium is not installed: run scripts/setup.sh")
        guard Self.chromium != nil else { return }
        let dir = try CLI.tempDir()
        let html = dir.appendingPathComponent("report.html")
        let r = try Repository.run([
            "investigate", "arn:aws:iam::482913376051:role/storefront-web",
            CLI.corpus("cloudtrail/scenarios/public_app_pivot/AWSLogs"), "--from", "2025-06-10", "--to", "2025-06-10",
            "--detectors", "detectors", "--format", "html", "-o", html.path,
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let page = try String(contentsOf: html, encoding: .utf8)
        #expect(page.contains("<svg"))
        #expect(!page.contains("<script"))
        #expect(!page.contains("http://") || !page.contains("src=\"http"), "no network resources")
        let png = dir.appendingPathComponent("report.png")
        let (s1, e1) = try runChromium(["--screenshot=" + png.path, "--window-size=1280,2000", html.absoluteString])
        #expect(s1 == 0, "\(e1)")
        let pngData = try Data(contentsOf: png)
        #expect(pngData.count > 10_000)
        #expect(Array(pngData.prefix(8)) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        let pdf = dir.appendingPathComponent("report.pdf")
        let (s2, e2) = try runChromium(["--print-to-pdf=" + pdf.path, "--no-pdf-header-footer", html.absoluteString])
        #expect(s2 == 0, "\(e2)")
        let pdfData = try Data(contentsOf: pdf)
        #expect(pdfData.count > 10_000)
        #expect(String(decoding: pdfData.prefix(5), as: UTF8.self) == "%PDF-")
        for log in [e1, e2] {
            let bad = log.split(separator: "\n").filter {
                $0.contains("Uncaught") || $0.contains("ERROR:CONSOLE") || $0.contains(":CONSOLE(")
            }
            #expect(bad.isEmpty, "browser console errors: \(bad)")
        }
    }
}

@Suite("trailhound scan --incidents") struct IncidentCLITests {
    @Test func pivotBecomesOneCriticalIncidentWithTheWholeChain() throws {
        let r = try Repository.run([
            "scan", CLI.corpus("cloudtrail/scenarios/public_app_pivot/AWSLogs"), "--detectors", "detectors",
            "--incidents", "--no-progress",
        ])
        #expect(r.status == 0, "\(r.stderr)")
        let incidents = r.findings.filter { $0["type"] as? String == "incident" }
        #expect(incidents.count == 1)
        let i = try #require(incidents.first)
        #expect(i["severity"] as? String == "critical")
        #expect(i["identity"] as? String == "arn:aws:iam::482913376051:role/storefront-web")
        #expect(
            Set(i["identities"] as? [String] ?? []).isSuperset(of: [
                "arn:aws:iam::482913376051:role/storefront-web", "arn:aws:iam::482913376051:role/platform-admin",
                "arn:aws:iam::482913376051:user/svc-metrics-exporter",
            ]))
        let kinds = (i["chain"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        #expect(
            kinds.contains("assumed_role") && kinds.contains("created_user") && kinds.contains("created_access_key"))
        #expect((i["timeline"] as? [[String: Any]])?.isEmpty == false)
        let plain = r.findings.filter { $0["type"] == nil }
        #expect(plain.count == i["finding_count"] as? Int, "findings keep their shape and all belong to the incident")
        let lastFinding = r.stdout.split(separator: "\n").lastIndex { !$0.contains("\"type\":\"incident\"") } ?? 0
        let firstIncident = r.stdout.split(separator: "\n").firstIndex { $0.contains("\"type\":\"incident\"") } ?? 0
        #expect(firstIncident > lastFinding, "incident lines come after the findings")
    }

    @Test func textOutputLeadsWithIncidentsAndBenignDataHasNone() throws {
        let text = try Repository.run([
            "scan", CLI.corpus("cloudtrail/scenarios/ai_workflow_compromise/AWSLogs"), "--detectors", "detectors",
            "--incidents", "--format", "text", "--no-progress",
        ])
        #expect(text.status == 0)
        #expect(text.stdout.hasPrefix("INCIDENTS (1)"))
        #expect(text.stdout.contains("role/langflow-server"))
        #expect(text.stdout.contains("finding(s), in time order:"))
        #expect(text.stdout.contains("\nNo other findings.") || text.stdout.contains("\nOTHER FINDINGS ("))
        let benign = try Repository.run([
            "scan", CLI.corpus("cloudtrail/scenarios/benign_drift/AWSLogs"), "--detectors", "detectors",
            "--incidents", "--no-progress",
        ])
        #expect(benign.status == 0)
        #expect(!benign.stdout.contains("\"type\":\"incident\""))
        let without = try Repository.run([
            "scan", CLI.corpus("cloudtrail/scenarios/public_app_pivot/AWSLogs"), "--detectors", "detectors",
            "--no-progress",
        ])
        #expect(!without.stdout.contains("\"type\":\"incident\""))
    }
}

/// `prod/db` for `arn:aws:secretsmanager:…:secret:prod/db-AbCdEf` (the ARN's 6-character suffix dropped).
func canonicalSecret(_ id: String) -> String {
    guard id.hasPrefix("arn:"), let r = id.range(of: ":secret:") else { return id }
    let name = String(id[r.upperBound...])
    guard let dash = name.lastIndex(of: "-"), name[name.index(after: dash)...].count == 6 else { return name }
    return String(name[..<dash])
}
