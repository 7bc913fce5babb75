import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite struct WorkflowWorkloadActivityTests {
    let id = "workflow.workload_activity"
    let roleArn = "arn:aws:iam::111122223333:role/langflow-host"

    func harness(_ extra: String = "") throws -> Harness {
        try Harness(
            id,
            edit: withSetting(
                "workloads",
                "\n    - server: lf-prod\n      identity: arn:aws:sts::111122223333:assumed-role/langflow-host/i-0abc\(extra)"
            ))
    }

    /// Ten days of the role reading its bucket from its usual address (the baseline).
    func baseline() -> [Event] {
        (0..<10).map { day in
            TestEvents.make(
                "s3", "GetObject", by: TestEvents.role("langflow-host"), minute: day * 1440, ip: "10.20.0.1")
        }
    }

    func request(at minute: Int, auth: String = "false", status: String = "200") -> Event {
        SourceEvents.workflow(
            [
                "path": "/api/v1/validate/code", "method": "POST", "status": status, "action": "validate_code",
                "authenticated": auth,
            ], at: Int64(minute) * 60_000,
            client: "203.0.113.66")
    }

    func unusual(at minute: Int) -> Event {
        TestEvents.make(
            "secretsmanager", "ListSecrets", by: TestEvents.role("langflow-host"), minute: minute, ip: "10.20.0.1")
    }

    @Test func workloadsAreReadAndCanonical() throws {
        let h = try harness()
        #expect(h.issues.isEmpty, "\(h.issues)")
        let bad = try Harness(id, edit: withSetting("workloads", "\n    - server: lf-prod\n      role: x"))
        #expect(bad.issues.map(\.code).sorted() == ["config.missing_key", "config.unknown_key"])
        #expect(bad.issues.allSatisfy { $0.line > 0 && $0.column > 0 })
        #expect(Workload.canonical("arn:aws:sts::1:assumed-role/r/s") == "arn:aws:iam::1:role/r")
    }

    @Test func anUnusualCallAfterACodeRequestIsReportedAboutTheRole() throws {
        let h = try harness()
        let start = 15 * 1440
        h.run(baseline())
        #expect(h.run(request(at: start)).isEmpty)
        let f = try #require(h.run(unusual(at: start + 12)).first)
        #expect(f.severity == .high)
        #expect(f.identity == roleArn)
        #expect(f.fact("client") == "203.0.113.66")
        #expect(f.fact("apis") == "secretsmanager:ListSecrets")
        #expect(f.explanation.contains("12 minute(s) after 203.0.113.66"))
    }

    @Test func callsReadBeforeTheRequestAreReportedAboutTheRoleWhenTheRequestArrives() throws {
        let h = try harness()
        let start = 15 * 1440
        h.run(baseline())
        let f = try #require(h.run(unusual(at: start + 5), request(at: start)).first)
        #expect(f.identity == roleArn)
        #expect(f.account == "111122223333")
        #expect(h.finish().isEmpty)
    }

    @Test func usualCallsAuthenticatedOrLateRequestsAndUnmappedServersAreQuiet() throws {
        let start = 15 * 1440
        let usual = TestEvents.make(
            "s3", "GetObject", by: TestEvents.role("langflow-host"), minute: start + 3, ip: "10.20.0.1")
        for events in [
            [request(at: start), usual],
            [request(at: start, auth: "true"), unusual(at: start + 3)],
            [request(at: start, status: "403"), unusual(at: start + 3)],
            [request(at: start), unusual(at: start + 200)],
        ] {
            let h = try harness()
            h.run(baseline())
            #expect(h.run(events).isEmpty)
            #expect(h.finish().isEmpty)
        }
        let unmapped = try Harness(id)
        unmapped.run(baseline())
        #expect(unmapped.run(request(at: start), unusual(at: start + 3)).isEmpty)
    }
}
