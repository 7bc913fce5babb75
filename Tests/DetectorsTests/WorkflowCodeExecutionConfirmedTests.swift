import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite struct WorkflowCodeExecutionConfirmedTests {
    let id = "workflow.code_execution_confirmed"

    func request(
        auth: String? = "false", status: String = "200", at ms: Int64 = 0, client: String = "203.0.113.66",
        server: String = "lf-prod", path: String = "/api/v1/validate/code", action: String = "validate_code"
    ) -> Event {
        var f = ["path": path, "method": "POST", "status": status, "action": action]
        if let auth { f["authenticated"] = auth }
        return SourceEvents.workflow(f, at: ms, server: server, client: client)
    }

    /// Langflow's own record, as formats/langflow-app.yaml maps it (no client, no path).
    func record(at ms: Int64, server: String = "lf-prod") -> Event {
        var e = SourceEvents.workflow(
            [
                "action": "code_error", "tool_input": "b'uid=0(root) gid=0(root) groups=0(root)\\n'",
                "tool_name": "Exception",
            ], at: ms, server: server)
        e.source = Source(kind: .unknown, raw: "")
        return e
    }

    func login(at ms: Int64, client: String) -> Event {
        SourceEvents.workflow(
            ["path": "/api/v1/login", "method": "POST", "status": "200", "action": "login", "authenticated": "false"],
            at: ms, client: client)
    }

    @Test func recordAfterRequestConfirmsItAtTheEnd() throws {
        let h = try Harness(id)
        #expect(h.issues.isEmpty)
        let req = request(at: 0)
        let rec = record(at: 1_500)
        #expect(h.run(req, rec).isEmpty)
        let f = try #require(h.finish().first)
        #expect(f.severity == .critical)
        #expect(f.identity == "workflow:lf-prod/anonymous")
        #expect(f.eventIds == [req.eventId, rec.eventId])
        #expect(f.fact("client") == "203.0.113.66")
        #expect(f.fact("server_record")?.contains("uid=0(root)") == true)
        #expect(
            f.title
                == "Code ran on workflow server lf-prod after an unauthenticated /api/v1/validate/code from 203.0.113.66"
        )
        #expect(f.mitre == ["T1059.006", "T1190"])
    }

    @Test func requestAfterRecordIsConfirmedToo() throws {
        let h = try Harness(id)
        #expect(h.run(record(at: 0), request(at: 900)).isEmpty)
        let f = try #require(h.finish().first)
        #expect(f.severity == .critical)
        #expect(f.explanation.contains("earlier"))
    }

    @Test func pairsAreMadeClosestFirstWhateverTheArrivalOrder() throws {
        // The user's two requests (one that raised nothing) a second before the stranger's, as captured.
        let events = [
            request(auth: "true", at: 0, client: "10.20.0.5"), request(auth: "true", at: 0, client: "10.20.0.5"),
            record(at: 600), record(at: 2_470), request(at: 3_000),
        ]
        for order in [events, Array(events[2...] + events[..<2]), events.reversed()] {
            let h = try Harness(id)
            #expect(h.run(order).isEmpty)
            let f = h.finish()
            #expect(f.count == 1)
            #expect(f.first?.fact("client") == "203.0.113.66")
        }
    }

    @Test func authenticatedRefusedDistantOrOtherServerRequestsAreNotConfirmed() throws {
        for (req, rec) in [
            (request(auth: "true", at: 0), record(at: 500)),
            (request(status: "403", at: 0), record(at: 500)),
            (request(at: 0), record(at: 10 * 60_000)),
            (request(at: 0, server: "other"), record(at: 500)),
            (request(at: 0, path: "/api/v1/flows/", action: ""), record(at: 500)),
        ] {
            let h = try Harness(id)
            #expect(h.run(req, rec).isEmpty)
            #expect(h.finish().isEmpty)
        }
    }

    @Test func unknownAuthenticationIsHighAndALoggedInAddressIsNotReported() throws {
        let h = try Harness(id)
        #expect(h.run(request(auth: nil, at: 0), record(at: 400)).isEmpty)
        #expect(h.finish().first?.severity == .high)
        let user = try Harness(id)
        let events = [
            login(at: 0, client: "10.20.0.5"), request(auth: nil, at: 60_000, client: "10.20.0.5"), record(at: 60_400),
        ]
        #expect(user.run(events).isEmpty)
        #expect(user.finish().isEmpty)
    }

    @Test func eachRecordConfirmsOneRequest() throws {
        let h = try Harness(id)
        #expect(h.run(record(at: 0), request(at: 100), request(at: 200, client: "203.0.113.67")).isEmpty)
        let out = h.finish()
        #expect(out.count == 1)
        #expect(out.first?.fact("client") == "203.0.113.66")
    }

    @Test func aUsersOwnRecordIsNotPairedWithAStrangersQuietRequest() throws {
        // As captured: the user's failing code, then a stranger's payload that raises nothing.
        for order in [true, false] {
            let h = try Harness(id)
            let user = request(auth: "true", at: 0, client: "10.20.0.5")
            let userRecord = record(at: 300)
            let quiet = request(at: 2_400)
            let events = order ? [user, quiet, userRecord] : [userRecord, user, quiet]
            #expect(h.run(events).isEmpty)
            #expect(h.finish().isEmpty)
        }
    }

    @Test func aPairIsReportedOnceLaterEventsPassTheWindowAboutTheRequester() throws {
        let h = try Harness(id)
        #expect(h.run(request(at: 0), record(at: 1_000)).isEmpty)
        let later = SourceEvents.workflow(["path": "/health", "method": "GET", "status": "200"], at: 60_000)
        let f = try #require(h.run(later).first)
        #expect(f.identity == "workflow:lf-prod/anonymous")
        #expect(f.fact("client") == "203.0.113.66")
        #expect(h.finish().isEmpty)
    }
}
