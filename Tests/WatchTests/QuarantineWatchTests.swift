import Foundation
import Testing
import TestSupport

extension WatchE2E {
    /// Issue 10 in the live service: the attack of `ai_workflow_compromise` is
    /// watched, the service exits, and a later run sees the same day replayed
    /// three days later (new event ids and session keys): the quarantine kept
    /// in the state file means the same detectors fire again.
    @Test func attackReplayedAfterARestartIsFoundAgain() async throws {
        let dir = try tempDir()
        let corpus = WatchProcess.root.appendingPathComponent(
            "corpora/cloudtrail/scenarios/ai_workflow_compromise/AWSLogs"
        ).path
        let all = try ScenarioReplay.lines(of: corpus)
        let first = dir.appendingPathComponent("trail.jsonl")
        let replay = dir.appendingPathComponent("replay.jsonl")
        try append(all.joined(separator: "\n") + "\n", to: first)
        let day = ScenarioReplay.day("2025-06-10", of: all)
        try append(try ScenarioReplay.replay(day, days: 3, tag: "w1").joined(separator: "\n") + "\n", to: replay)
        let role = "arn:aws:iam::482913376051:role/langflow-server"
        func detectors(_ p: WatchProcess) -> Set<String> {
            Set(p.findings.filter { $0["identity"] as? String == role }.compactMap { $0["detector"] as? String })
        }

        let one = try Self.watch([first.path], dir: dir, ["--exit-when-idle"], tag: "one")
        #expect(await one.waitForExit(timeout: 90) == 0, "\(one.stderr)")
        let found = detectors(one)
        #expect(found.isSuperset(of: ["credentials.exfiltration", "identity.new_api", "identity.new_source"]))

        let two = try Self.watch([replay.path], dir: dir, ["--exit-when-idle"], tag: "two")
        #expect(await two.waitForExit(timeout: 90) == 0, "\(two.stderr)")
        #expect(detectors(two) == found, "the replay is found by the same detectors")
        #expect(evidence(two.findings).allSatisfy { $0.hasPrefix("w1-") })

        let (status, show, err) = try await runTrailhound(
            ["baseline", "show", "langflow-server", "--state", dir.appendingPathComponent("state.db").path], dir: dir)
        #expect(status == 0, "\(err)")
        #expect(show.contains("Quarantined (not learned):"))
    }
}
