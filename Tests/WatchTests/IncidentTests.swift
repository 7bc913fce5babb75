import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// An identity that steals a session of `role/admin` and plants a backdoor user with a key.
enum PivotEvents {
    static let app = "arn:aws:iam::111122223333:user/app"
    static let admin = "arn:aws:iam::111122223333:role/admin"

    static let adminSession =
        #"{"type":"AssumedRole","principalId":"AROAADMIN:pivot","arn":"arn:aws:sts::111122223333:assumed-role/admin/pivot","accountId":"111122223333","accessKeyId":"ASIAPIVOT","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAADMIN","arn":"arn:aws:iam::111122223333:role/admin","accountId":"111122223333","userName":"admin"},"attributes":{"creationDate":"2026-03-01T10:00:10Z","mfaAuthenticated":"false"}}}"#

    static func record(
        _ name: String, source: String, id: String, identity: String, second: Int, params: String,
        response: String = "null"
    ) -> String {
        CloudTrailRecord.call(
            name, source: source, time: CloudTrailRecord.time(second: second), id: id, identity: identity,
            params: params, response: response, ua: "Boto3/1.34.10 md/Botocore#1.34.10")
    }

    /// `user/app` stops logging, assumes `role/admin`, whose session creates `user/backdoor` and a key for it.
    static var pivot: [String] {
        [
            Events.stopLogging("p-1", user: "app", second: 0),
            record(
                "AssumeRole", source: "sts.amazonaws.com", id: "p-2", identity: Events.identity("app"), second: 10,
                params: #"{"roleArn":"arn:aws:iam::111122223333:role/admin","roleSessionName":"pivot"}"#,
                response:
                    #"{"credentials":{"accessKeyId":"ASIAPIVOT","expiration":"Mar 1, 2026, 11:00:10 AM","sessionToken":"x"}}"#
            ),
            record(
                "CreateUser", source: "iam.amazonaws.com", id: "p-3", identity: adminSession, second: 20,
                params: #"{"userName":"backdoor"}"#,
                response:
                    #"{"user":{"userName":"backdoor","arn":"arn:aws:iam::111122223333:user/backdoor","userId":"AIDABACKDOOR","path":"/"}}"#
            ),
            record(
                "CreateAccessKey", source: "iam.amazonaws.com", id: "p-4", identity: adminSession, second: 30,
                params: #"{"userName":"backdoor"}"#,
                response: #"{"accessKey":{"accessKeyId":"AKIABACKDOOR","status":"Active","userName":"backdoor"}}"#),
        ]
    }

    /// Well after the incident window (2 h of event time): a benign call, then a new finding elsewhere.
    static var later: [String] {
        [
            Events.benign("late-0", user: "other", second: 10_000),
            Events.stopLogging("late-1", user: "other", second: 10_001),
        ]
    }
}

extension WatchE2E {
    static func incidents(_ p: WatchProcess) -> [[String: Any]] {
        p.findings.filter { $0["type"] as? String == "incident" }
    }

    /// The statuses emitted for one incident id, in output order.
    static func statuses(_ p: WatchProcess, _ id: String) -> [String] {
        incidents(p).filter { $0["id"] as? String == id }.compactMap { $0["status"] as? String }
    }

    @Test func incidentIsEmittedWhenItOpensThenClosedUnderTheSameId() async throws {
        let dir = try tempDir()
        let log = dir.appendingPathComponent("app.jsonl")
        let p = try Self.watch([log.path], dir: dir, ["--incidents", "--listen", "127.0.0.1:0"])
        let port = try #require(await p.port())
        try await p.waitUntilStarted()
        try append(Events.lines(PivotEvents.pivot), to: log)
        #expect(await Self.waitForFinding(p, "p-3"), "no CreateUser finding: \(p.stdout)\n\(p.stderr)")
        #expect(await poll(timeout: 10) { !Self.incidents(p).isEmpty }, "not emitted when it opened: \(p.stdout)")
        let opened = try #require(Self.incidents(p).first)
        #expect(opened["status"] as? String == "open")
        let id = try #require(opened["id"] as? String)
        try append(Events.lines(PivotEvents.later), to: log)
        #expect(await Self.waitForFinding(p, "late-1"))
        #expect(
            await poll(timeout: 10) { Self.statuses(p, id).last == "closed" }, "never closed: \(Self.statuses(p, id))")
        let statuses = Self.statuses(p, id)
        #expect(statuses.first == "open" && statuses.filter { $0 == "open" }.count == 1, "statuses: \(statuses)")
        #expect(statuses.filter { $0 == "closed" }.count == 1)
        let i = try #require(Self.incidents(p).last { $0["id"] as? String == id })
        let ids = Set(i["identities"] as? [String] ?? [])
        #expect(ids.isSuperset(of: [PivotEvents.app, PivotEvents.admin]), "identities: \(ids)")
        #expect(i["identity"] as? String == PivotEvents.app)
        let kinds = (i["chain"] as? [[String: Any]] ?? []).compactMap { $0["kind"] as? String }
        #expect(kinds.contains("assumed_role"))
        let seqs = p.findings.compactMap { $0["seq"] as? Int }
        #expect(Set(seqs).count == seqs.count && i["seq"] is Int, "every record has its own seq")
        let (status, body) = try await get(port, "/incidents")
        #expect(status == 200 && body.contains("\"type\":\"incident\"") && body.contains(id))
        let (_, findingsBody) = try await get(port, "/findings")
        #expect(!findingsBody.contains("\"type\":\"incident\""), "/findings lists findings only")
        let before = Self.incidents(p).count
        p.signal(SIGTERM)
        #expect(await p.waitForExit(timeout: 5) == 0)
        #expect(Self.incidents(p).count == before, "nothing more is emitted on shutdown")
    }

    @Test func openIncidentSurvivesKillNineAndIsNotReopenedAfterTheRestart() async throws {
        let dir = try tempDir()
        let log = dir.appendingPathComponent("app.jsonl")
        let first = try Self.watch([log.path], dir: dir, ["--incidents"], tag: "before")
        try await first.waitUntilStarted()
        try append(Events.lines(PivotEvents.pivot), to: log)
        // Findings reach stdout only after the checkpoint that holds them (and the open incident) committed.
        #expect(await Self.waitForFinding(first, "p-3"), "no CreateUser finding: \(first.stderr)")
        #expect(await poll(timeout: 10) { !Self.incidents(first).isEmpty }, "not emitted when it opened")
        let id = try #require(Self.incidents(first).first?["id"] as? String)
        first.signal(SIGKILL)
        _ = await first.waitForExit(timeout: 5)

        let second = try Self.watch([log.path], dir: dir, ["--incidents"], tag: "after")
        try await second.waitUntilStarted()
        try append(Events.lines(PivotEvents.later), to: log)
        #expect(await Self.waitForFinding(second, "late-1"))
        #expect(
            await poll(timeout: 10) { Self.statuses(second, id).contains("closed") },
            "open incident lost: \(second.stdout)")
        #expect(!Self.statuses(second, id).contains("open"), "reopened after the restart: \(Self.statuses(second, id))")
        let closed = try #require(Self.incidents(second).last { $0["id"] as? String == id })
        let ids = Set(closed["identities"] as? [String] ?? [])
        #expect(ids.isSuperset(of: [PivotEvents.app, PivotEvents.admin]), "identities: \(ids)")
        #expect(
            !evidence(second.findings.filter { $0["type"] as? String != "incident" }).contains("p-3"),
            "findings of the first run are not emitted again")
        second.signal(SIGTERM)
        #expect(await second.waitForExit(timeout: 5) == 0)
    }

    @Test func withoutTheFlagNoIncidentLineAppears() async throws {
        let dir = try tempDir()
        let log = dir.appendingPathComponent("app.jsonl")
        let p = try Self.watch([log.path], dir: dir)
        try await p.waitUntilStarted()
        try append(Events.lines(PivotEvents.pivot + PivotEvents.later), to: log)
        #expect(await Self.waitForFinding(p, "late-1"))
        #expect(await Self.waitForFinding(p, "p-3"))
        try await Task.sleep(nanoseconds: 500_000_000)
        p.signal(SIGTERM)
        #expect(await p.waitForExit(timeout: 5) == 0)
        #expect(!p.stdout.contains("\"type\":\"incident\""))
    }

    @Test func incidentsKeyIsValidatedInTheServiceConfig() async throws {
        let dir = try tempDir()
        let config = dir.appendingPathComponent("watch.yaml")
        for (value, status) in [("true", Int32(0)), ("maybe", Int32(64))] {
            try "state: s.db\nincidents: \(value)\ninputs:\n  - path: x.jsonl\n".write(
                to: config, atomically: true,
                encoding: .utf8)
            let p = try WatchProcess(
                ["watch", "--config", config.path, "--check-config", "--detectors", "detectors"],
                dir: dir)
            #expect(await p.waitForExit(timeout: 10) == status, "incidents: \(value): \(p.stderr)")
            if status != 0 { #expect(p.stderr.contains("watch.yaml:2:12: error: incidents: expected true or false")) }
        }
    }
}
