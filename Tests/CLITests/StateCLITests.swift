import Foundation
import TestSupport
import Testing

@Suite("scan --state and baseline commands, end to end") struct StateCLITests {
    let corpus = CLI.corpus("cloudtrail/scenarios/ai_workflow_compromise/AWSLogs")
    let role = "arn:aws:iam::482913376051:role/langflow-server"

    @Test func archiveScannedInTwoPartsStillDetectsTheAttack() throws {
        let dir = try CLI.tempDir()
        let state = dir.appendingPathComponent("state.db").path
        // Part 1: the learning period only. Nothing sensitive happens there.
        let first = try Repository.run([
            "scan", corpus, "--detectors", "detectors", "--until", "2025-06-08T12:00:00Z", "--state", state,
        ])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(!first.detectors.contains("credentials.exfiltration"))
        // Part 2: the rest; the baseline comes from the state file.
        let second = try Repository.run([
            "scan", corpus, "--detectors", "detectors", "--since", "2025-06-08T12:00:00Z", "--state", state,
        ])
        #expect(second.status == 0, "\(second.stderr)")
        #expect(second.stderr.contains("already scanned"), "files near the boundary are not read twice")
        for d in ["credentials.exfiltration", "secrets.enumeration", "identity.new_api", "identity.new_user_agent"] {
            #expect(second.detectors.contains(d), "\(d) missing after a split scan")
        }
        let explanation =
            second.findings.first { $0["detector"] as? String == "credentials.exfiltration" }?["explanation"] as? String
        #expect(explanation?.contains("days of baseline") == true)

        // The same files again: all skipped, nothing new.
        let again = try Repository.run(["scan", corpus, "--detectors", "detectors", "--state", state])
        #expect(again.status == 0)
        #expect(again.findings.isEmpty)
        #expect(again.stderr.contains("already scanned"))

        let show = try Repository.run(["baseline", "show", role, "--state", state])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("langflow-server"))
        #expect(show.stdout.contains("APIs:"))
        let export = try Repository.run(["baseline", "export", "--state", state])
        #expect(export.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(export.stdout.utf8))
        #expect((json as? [Any])?.isEmpty == false)
        let list = try Repository.run(["baseline", "list", "--state", state])
        #expect(list.stdout.split(separator: "\n").contains(Substring(role)))
        let missing = try Repository.run(["baseline", "show", "arn:aws:iam::1:role/none", "--state", state])
        #expect(missing.status == 1)
    }

    /// A CloudTrail JSON line: `user` calls StopLogging on trail `trail` at 10:MM.
    func stopLogging(_ id: String, minute: Int, user: String = "mallory", trail: String = "main") -> String {
        let u =
            #"{"type":"IAMUser","principalId":"AIDA\#(user)","arn":"arn:aws:iam::111122223333:user/\#(user)","accountId":"111122223333","userName":"\#(user)"}"#
        return
            #"{"eventVersion":"1.09","userIdentity":\#(u),"eventTime":"2026-03-01T10:\#(String(format: "%02d", minute)):00Z","eventSource":"cloudtrail.amazonaws.com","eventName":"StopLogging","awsRegion":"us-east-1","sourceIPAddress":"198.51.100.7","userAgent":"aws-cli/2.15.3","requestParameters":{"name":"arn:aws:cloudtrail:us-east-1:111122223333:trail/\#(trail)"},"responseElements":null,"eventID":"\#(id)","eventType":"AwsApiCall","recipientAccountId":"111122223333"}"#
    }

    @Test func dedupWindowAndDuplicateDeliveriesSpanTwoScansOfOneStateFile() throws {
        let dir = try CLI.tempDir()
        let a = dir.appendingPathComponent("a.jsonl")
        let b = dir.appendingPathComponent("b.jsonl")
        try (stopLogging("e1", minute: 0) + "\n").write(to: a, atomically: true, encoding: .utf8)
        // CloudTrail delivers e1 again, then the same user stops the same trail 20 min later (inside dedup_window 1h).
        try [stopLogging("e1", minute: 0), stopLogging("e2", minute: 20)].joined(separator: "\n")
            .write(to: b, atomically: true, encoding: .utf8)
        let summary: ([[String: Any]]) -> [String] = { fs in
            fs.map { "\($0["title"] ?? "") ×\($0["count"] ?? "") \($0["event_ids"] ?? "")" }
        }
        let whole = try Repository.run(["scan", a.path, b.path, "--detectors", "detectors"])
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(whole.findings.count == 2, "the first StopLogging and the follow-up of its repeat")

        let state = dir.appendingPathComponent("state.db").path
        let first = try Repository.run(["scan", a.path, "--detectors", "detectors", "--state", state])
        let second = try Repository.run(["scan", b.path, "--detectors", "detectors", "--state", state])
        #expect(first.status == 0 && second.status == 0, "\(first.stderr) \(second.stderr)")
        #expect(
            second.findings.count == 1, "the duplicate is dropped and the repeat folds: \(summary(second.findings))")
        #expect(summary(first.findings + second.findings) == summary(whole.findings))
        #expect(second.findings.first?["title"] as? String ?? "" == (whole.findings.last?["title"] as? String ?? "-"))
    }

    @Test func unusableStateFileIsAClearError() throws {
        let dir = try CLI.tempDir()
        let bad = dir.appendingPathComponent("garbage.db")
        try Data("this is not sqlite, not at all, really".utf8).write(to: bad)
        let r = try Repository.run(["scan", corpus, "--detectors", "detectors", "--state", bad.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("[state."))
        #expect(r.findings.isEmpty)
    }
}
