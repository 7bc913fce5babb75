import Foundation
import Testing

@Suite("scan --state and baseline commands, end to end") struct StateCLITests {
    let corpus = CLI.corpus("cloudtrail/scenarios/ai_workflow_compromise/AWSLogs")
    let role = "arn:aws:iam::482913376051:role/langflow-server"

    @Test func archiveScannedInTwoPartsStillDetectsTheAttack() throws {
        let dir = try CLI.tempDir()
        let state = dir.appendingPathComponent("state.db").path
        // Part 1: the learning period only. Nothing sensitive happens there.
        let first = try CLI.run([
            "scan", corpus, "--detectors", "detectors", "--until", "2025-06-08T12:00:00Z", "--state", state,
        ])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(!first.detectors.contains("credentials.exfiltration"))
        // Part 2: the rest; the baseline comes from the state file.
        let second = try CLI.run([
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
        let again = try CLI.run(["scan", corpus, "--detectors", "detectors", "--state", state])
        #expect(again.status == 0)
        #expect(again.findings.isEmpty)
        #expect(again.stderr.contains("already scanned"))

        let show = try CLI.run(["baseline", "show", role, "--state", state])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("langflow-server"))
        #expect(show.stdout.contains("APIs:"))
        let export = try CLI.run(["baseline", "export", "--state", state])
        #expect(export.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(export.stdout.utf8))
        #expect((json as? [Any])?.isEmpty == false)
        let list = try CLI.run(["baseline", "list", "--state", state])
        #expect(list.stdout.split(separator: "\n").contains(Substring(role)))
        let missing = try CLI.run(["baseline", "show", "arn:aws:iam::1:role/none", "--state", state])
        #expect(missing.status == 1)
    }

    @Test func unusableStateFileIsAClearError() throws {
        let dir = try CLI.tempDir()
        let bad = dir.appendingPathComponent("garbage.db")
        try Data("this is not sqlite, not at all, really".utf8).write(to: bad)
        let r = try CLI.run(["scan", corpus, "--detectors", "detectors", "--state", bad.path])
        #expect(r.status == 1)
        #expect(r.stderr.contains("[state."))
        #expect(r.findings.isEmpty)
    }
}
