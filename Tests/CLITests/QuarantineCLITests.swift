import Foundation
import Testing
import TestSupport

/// Issue 10: the baseline must not learn the attacker. The attack of the
/// `ai_workflow_compromise` scenario (2025-06-10) is scanned into a state file,
/// then the same day is replayed three days later with new event ids and session keys.
@Suite("quarantine: the baseline never learns the attacker, end to end", .serialized) struct QuarantineCLITests {
    static let corpus = CLI.corpus("cloudtrail/scenarios/ai_workflow_compromise/AWSLogs")
    static let role = "arn:aws:iam::482913376051:role/langflow-server"

    /// Detector ids of the findings about the compromised role.
    static func detectors(_ r: CLIResult) -> Set<String> {
        Set(r.findings.filter { $0["identity"] as? String == role }.compactMap { $0["detector"] as? String })
    }

    static func write(_ lines: [String], _ name: String, in dir: URL) throws -> String {
        let url = dir.appendingPathComponent(name)
        try (lines.joined(separator: "\n") + "\n").write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    func scan(_ path: String, _ state: String, _ extra: [String] = []) throws -> CLIResult {
        let r = try Repository.run(
            ["scan", path, "--detectors", "detectors", "--state", state, "--no-progress"] + extra)
        #expect(r.status == 0, "\(r.stderr)")
        return r
    }

    @Test func attackReplayedThreeDaysLaterIsFoundAgainAndAcceptMakesItQuiet() throws {
        let dir = try CLI.tempDir()
        let state = dir.appendingPathComponent("state.db").path
        let attackDay = ScenarioReplay.day("2025-06-10", of: try ScenarioReplay.lines(of: Self.corpus))
        let replay = try Self.write(try ScenarioReplay.replay(attackDay, days: 3, tag: "r1"), "replay.jsonl", in: dir)

        let first = try scan(Self.corpus, state)
        let found = Self.detectors(first)
        #expect(found.isSuperset(of: ["credentials.exfiltration", "identity.new_api", "identity.new_source"]))
        let again = try scan(replay, state)
        #expect(Self.detectors(again) == found, "the replay is found by the same detectors")
        #expect(again.findings.count >= first.findings.count - 2, "\(again.findings.count) vs \(first.findings.count)")

        let show = try Repository.run(["baseline", "show", "langflow-server", "--state", state])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(show.stdout.contains("Quarantined (not learned):"), "\(show.stdout.suffix(2000))")
        #expect(show.stdout.contains("evidence of credentials.exfiltration"))
        #expect(show.stdout.contains("from 45.147.142.231 via offensive-tool"))

        // The analyst says it was benign: learned, and a third run of the same activity is quiet.
        let accept = try Repository.run(["baseline", "accept", "langflow-server", "--state", state])
        #expect(accept.status == 0, "\(accept.stderr)")
        #expect(accept.stdout.contains("accepted "), "\(accept.stdout)")
        let afterAccept = try Repository.run(["baseline", "show", "langflow-server", "--state", state])
        #expect(!afterAccept.stdout.contains("Quarantined (not learned):"))
        #expect(afterAccept.stdout.contains("bedrock:ListFoundationModels"), "learned into the APIs")
        let replay2 = try Self.write(try ScenarioReplay.replay(attackDay, days: 6, tag: "r2"), "replay2.jsonl", in: dir)
        let quiet = try scan(replay2, state)
        let novelty = Self.detectors(quiet).filter { $0.hasPrefix("identity.") || $0 == "credentials.exfiltration" }
        #expect(novelty.isEmpty, "accepted activity is no longer new: \(novelty)")
        #expect(quiet.findings.count <= 1, "\(quiet.findings.map { $0["title"] ?? "" })")
    }

    @Test func forgetRemovesWhatWasFirstLearnedInTheWindow() throws {
        let dir = try CLI.tempDir()
        let state = dir.appendingPathComponent("state.db").path
        // The attack learned, as it was before the quarantine existed: scanned, then accepted.
        _ = try scan(Self.corpus, state, ["--suspect-hours", "0"])
        let accept = try Repository.run(["baseline", "accept", "langflow-server", "--state", state])
        #expect(accept.status == 0, "\(accept.stderr)")
        let learned = try Repository.run(["baseline", "show", "langflow-server", "--state", state])
        #expect(learned.stdout.contains("bedrock:ListFoundationModels"))

        let forget = try Repository.run([
            "baseline", "forget", "langflow-server", "--since", "2025-06-10T14:00:00Z", "--until", "2025-06-10",
            "--state", state,
        ])
        #expect(forget.status == 0, "\(forget.stderr)")
        #expect(forget.stdout.contains("forgot "), "\(forget.stdout)")
        let after = try Repository.run(["baseline", "show", "langflow-server", "--state", state])
        #expect(!after.stdout.contains("bedrock:ListFoundationModels"), "first learned in the window: removed")
        #expect(!after.stdout.contains("ssm:GetParametersByPath"))
        #expect(!after.stdout.contains("45.147.142."), "the attacker's network is removed")
        #expect(after.stdout.contains("bedrock:InvokeModel"), "known before the window: kept")

        // And the replay is found again.
        let attackDay = ScenarioReplay.day("2025-06-10", of: try ScenarioReplay.lines(of: Self.corpus))
        let replay = try Self.write(try ScenarioReplay.replay(attackDay, days: 3, tag: "f1"), "replay.jsonl", in: dir)
        let again = try scan(replay, state)
        #expect(Self.detectors(again).isSuperset(of: ["identity.new_api", "identity.new_source"]))

        let bad = try Repository.run([
            "baseline", "forget", "langflow-server", "--since", "yesterday", "--state", state,
        ])
        #expect(bad.status == 64)
    }

    @Test func unacceptedObservationsAreDroppedAfterQuarantineDays() throws {
        let dir = try CLI.tempDir()
        let state = dir.appendingPathComponent("state.db").path
        let attackDay = ScenarioReplay.day("2025-06-10", of: try ScenarioReplay.lines(of: Self.corpus))
        let replay = try Self.write(try ScenarioReplay.replay(attackDay, days: 3, tag: "q1"), "replay.jsonl", in: dir)
        _ = try scan(Self.corpus, state, ["--quarantine-days", "2"])
        let held = try Repository.run(["baseline", "show", "langflow-server", "--state", state])
        #expect(held.stdout.contains("first 2025-06-10T14:49:"), "the attack is held")
        // Three days later nobody has accepted it: dropped, never learned; the replay is held anew.
        let again = try scan(replay, state, ["--quarantine-days", "2"])
        #expect(Self.detectors(again).isSuperset(of: ["identity.new_api", "identity.new_source"]))
        let show = try Repository.run(["baseline", "show", "langflow-server", "--state", state])
        #expect(!show.stdout.contains("first 2025-06-10T"), "dropped after 2 days: \(show.stdout.suffix(3000))")
        #expect(show.stdout.contains("first 2025-06-13T14:49:"), "the replay is held")
        #expect(!show.stdout.contains("45.147.142.0/24  ×"), "never learned as a network")

        let incident = try Repository.run(["baseline", "accept", "inc-0123456789abcdef", "--state", state])
        #expect(incident.status == 64)
        #expect(incident.stderr.contains("not an incident id"))
    }
}
