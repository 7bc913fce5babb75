import Foundation
import TestSupport
import Testing

/// `investigate` and `baseline show|export` take the same identities, through one resolver:
/// a full key, a session ARN, or a short name; an ambiguous name lists the candidates, exit 64.
@Suite("Short identity names, end to end") struct IdentityResolutionCLITests {
    static func role(_ account: String, _ path: String, session: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return
            #"{"type":"AssumedRole","principalId":"AROA\#(account):\#(session)","arn":"arn:aws:sts::\#(account):assumed-role/\#(name)/\#(session)","accountId":"\#(account)","accessKeyId":"ASIA\#(account)0001","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROA\#(account)","arn":"arn:aws:iam::\#(account):role/\#(path)","accountId":"\#(account)","userName":"\#(name)"}}}"#
    }

    static let alice =
        #"{"type":"IAMUser","principalId":"AIDAALICE","arn":"arn:aws:iam::111122223333:user/alice","accountId":"111122223333","accessKeyId":"AKIAALICE00000000001","userName":"alice"}"#

    /// Two roles named web-app (two accounts), a role with a path, a user: calls on three days.
    static func trail(webAppAccounts: [String] = ["111122223333", "444455556666"]) -> Data {
        var records: [String] = []
        for day in 1...3 {
            let t = "2026-03-0\(day)T10:00:00Z"
            for acct in webAppAccounts {
                records.append(
                    CloudTrailRecord.call(
                        "ListBuckets", source: "s3.amazonaws.com", time: t,
                        identity: role(acct, "web-app", session: "s")))
            }
            records.append(
                CloudTrailRecord.call(
                    "ListBuckets", source: "s3.amazonaws.com", time: t,
                    identity: role("111122223333", "service/batch", session: "job-\(day)")))
            records.append(CloudTrailRecord.call("ListUsers", source: "iam.amazonaws.com", time: t, identity: alice))
        }
        return CloudTrailRecord.file(records)
    }

    func files() throws -> (dir: URL, trail: String, state: String) {
        let dir = try CLI.tempDir()
        let trail = dir.appendingPathComponent("trail.json")
        try Self.trail().write(to: trail)
        let state = dir.appendingPathComponent("state.db").path
        let scan = try Repository.run(["scan", trail.path, "--detectors", "detectors", "--state", state, "--quiet"])
        #expect(scan.status == 0, "\(scan.stderr)")
        return (dir, trail.path, state)
    }

    @Test func baselineShowTakesWhatInvestigateTakes() throws {
        let (dir, _, state) = try files()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["alice", "user/alice", "arn:aws:iam::111122223333:user/alice"] {
            let show = try Repository.run(["baseline", "show", name, "--state", state])
            #expect(show.status == 0, "\(name): \(show.stderr)")
            #expect(show.stdout.contains("arn:aws:iam::111122223333:user/alice"), "\(name)")
        }
        let batch = try Repository.run([
            "baseline", "show", "arn:aws:sts::111122223333:assumed-role/batch/job-9", "--state", state,
        ])
        #expect(batch.status == 0, "\(batch.stderr)")
        #expect(batch.stdout.contains("arn:aws:iam::111122223333:role/service/batch"))
        let export = try Repository.run(["baseline", "export", "batch", "--state", state])
        #expect(export.status == 0, "\(export.stderr)")
        let exported = try JSONSerialization.jsonObject(with: Data(export.stdout.utf8)) as? [String: Any]
        #expect(exported?.values.contains { $0 as? String == "arn:aws:iam::111122223333:role/service/batch" } == true)
    }

    @Test func ambiguousOrUnusableNamesAreUsageErrors() throws {
        let (dir, _, state) = try files()
        defer { try? FileManager.default.removeItem(at: dir) }
        for name in ["web-app", "role/web-app"] {
            let show = try Repository.run(["baseline", "show", name, "--state", state])
            #expect(show.status == 64, "\(name)")
            #expect(show.stdout.isEmpty)
            #expect(show.stderr.contains("matches 2 identities"))
            #expect(show.stderr.contains("  arn:aws:iam::111122223333:role/web-app\n"))
            #expect(show.stderr.contains("  arn:aws:iam::444455556666:role/web-app"))
        }
        let key = try Repository.run(["baseline", "show", "AKIAALICE00000000001", "--state", state])
        #expect(key.status == 64)
        #expect(key.stderr.contains("access key id"))
        let none = try Repository.run(["baseline", "show", "nobody", "--state", state])
        #expect(none.status == 1)
        #expect(none.stderr.contains("no baseline for 'nobody'"))
    }

    @Test func investigateResolvesShortNamesAndRefusesAmbiguousOnes() throws {
        let (dir, trail, state) = try files()
        defer { try? FileManager.default.removeItem(at: dir) }
        let base = [trail, "--detectors", "detectors", "--format", "json", "--quiet"]
        let alice = try Repository.run(["investigate", "alice"] + base)
        #expect(alice.status == 0, "\(alice.stderr)")
        let obj = try JSONSerialization.jsonObject(with: Data(alice.stdout.utf8)) as? [String: Any]
        #expect((obj?["target"] as? [String: Any])?["identity"] as? String == "arn:aws:iam::111122223333:user/alice")
        // Fresh event ids: events the state file has already seen are dropped as duplicates.
        let fresh = dir.appendingPathComponent("fresh.json")
        try Self.trail(webAppAccounts: []).write(to: fresh)
        let batch = try Repository.run([
            "investigate", "batch", fresh.path, "--state", state, "--detectors", "detectors", "--format", "json",
        ])
        #expect(batch.status == 0, "\(batch.stderr)")
        for name in ["web-app", "role/web-app"] {
            let r = try Repository.run(["investigate", name] + base)
            #expect(r.status == 64, "\(name): \(r.stderr)")
            #expect(r.stdout.isEmpty, "no report for an ambiguous name")
            #expect(r.stderr.contains("matches 2 identities in the input"))
            #expect(r.stderr.contains("  arn:aws:iam::444455556666:role/web-app"))
        }
        let full = try Repository.run(["investigate", "arn:aws:iam::444455556666:role/web-app"] + base)
        #expect(full.status == 0, "\(full.stderr)")

        // Only one web-app in the logs, but the state file knows both: still ambiguous.
        let one = dir.appendingPathComponent("one.json")
        try Self.trail(webAppAccounts: ["111122223333"]).write(to: one)
        let r = try Repository.run([
            "investigate", "web-app", one.path, "--state", state, "--detectors", "detectors", "--format", "json",
        ])
        #expect(r.status == 64, "\(r.stderr)")
        #expect(r.stderr.contains("matches 2 identities in \(state)"))
    }
}
