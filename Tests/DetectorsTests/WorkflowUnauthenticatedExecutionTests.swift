import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite struct WorkflowUnauthenticatedExecutionTests {
    let id = "workflow.unauthenticated_execution"

    func request(_ path: String, action: String = "", auth: String? = "false", status: String = "200", at ms: Int64 = 0)
        -> Event
    {
        var f = ["path": path, "method": "POST", "status": status]
        if !action.isEmpty { f["action"] = action }
        if let auth { f["authenticated"] = auth }
        return SourceEvents.workflow(f, at: ms)
    }

    /// The query and fragment are not part of the path, whatever follows `?` (a combining mark
    /// after it still starts the query, as a URL is read byte by byte).
    @Test func queryAndFragmentAreCutAtTheirFirstByte() throws {
        for (path, key) in [
            ("/api/v1/validate/code?x=1", "/api/v1/validate/code"),
            ("/api/v1/validate/code#top", "/api/v1/validate/code"),
            ("/api/v1/validate/code?\u{301}a", "/api/v1/validate/code"),
            ("/api/v1/validate/code", "/api/v1/validate/code"),
            ("/api/v1/validate/code/é?y#z", "/api/v1/validate/code/é"),
        ] {
            let f = try #require(try Harness.findings(id, request(path)).first, "\(path)")
            #expect(f.key == key, "\(path)")
        }
    }

    @Test func unauthenticatedCodeValidationIsCritical() throws {
        let f = try #require(try Harness.findings(id, request("/api/v1/validate/code", action: "validate_code")).first)
        #expect(f.severity == .critical)
        #expect(f.identity == "workflow:lf-prod/anonymous")
        #expect(f.key == "/api/v1/validate/code")
        #expect(f.title == "Unauthenticated /api/v1/validate/code on workflow server lf-prod")
        #expect(f.explanation.contains("CVE-2025-3248"))
        #expect(f.explanation.contains("198.51.100.77"))
        #expect(f.fact("authenticated") == "false")
        #expect(f.fact("matched_path") == "/api/v1/validate/code*")
        #expect(f.mitre == ["T1190", "T1059"])
    }

    @Test func pathGlobsAndActionsMatchOtherProducts() throws {
        for path in ["/api/v1/run/abc", "/rest/workflows/12/run", "/prompt", "/api/v1/custom_component/update?x=1"] {
            let f = try Harness.findings(id, request(path))
            #expect(f.count == 1, "\(path)")
        }
        #expect(try Harness.findings(id, request("/internal/x", action: "tool_call")).count == 1)
        #expect(try Harness.findings(id, request("/api/v1/flows/abc")).isEmpty)
        #expect(try Harness.findings(id, request("/api/v1/runs")).isEmpty)
    }

    @Test func authenticatedRequestsAreIgnored() throws {
        #expect(
            try Harness.findings(id, request("/api/v1/validate/code", action: "validate_code", auth: "true")).isEmpty)
        var aws = TestEvents.make("lambda", "Invoke")
        aws.parameters["path"] = "/api/v1/validate/code"
        #expect(try Harness.findings(id, aws).isEmpty)
    }

    @Test func unknownAuthenticationOnlyReportsCodeActionsAtTheConfiguredSeverity() throws {
        let f = try #require(
            try Harness.findings(id, request("/api/v1/validate/code", action: "validate_code", auth: nil)).first)
        #expect(f.severity == .medium)
        #expect(f.fact("authenticated") == "unknown")
        #expect(f.explanation.contains("the log does not say"))
        #expect(try Harness.findings(id, request("/api/v1/run/flow-1", action: "run_flow", auth: nil)).isEmpty)
        let silenced = try Harness(id, edit: withSetting("unknown_auth_severity", "info"))
        #expect(
            silenced.run(request("/api/v1/validate/code", action: "validate_code", auth: nil)).first?.severity == .info)
    }

    @Test func refusedRequestIsAFailedAttempt() throws {
        let f = try #require(
            try Harness.findings(id, request("/api/v1/validate/code", action: "validate_code", status: "401")).first)
        #expect(f.severity == .low)
        #expect(f.title.hasPrefix("Refused"))
    }

    @Test func allowListAndDedup() throws {
        let allowed = try Harness(id, edit: withAllowlist("  - account: \"lf-prod\"", "    reason: demo server"))
        #expect(allowed.issues.isEmpty)
        #expect(allowed.run(request("/api/v1/run/x")).isEmpty)
        let h = try Harness(id)
        #expect(h.run(request("/api/v1/run/x"), request("/api/v1/run/x", at: 60_000)).count == 1)
        #expect(h.finish().first?.count == 1)
    }

    @Test func customPathsReplaceTheDefaults() throws {
        let h = try Harness(
            id,
            edit: {
                $0.replacingOccurrences(
                    of: "    - \"/prompt\"                     # ComfyUI queue a workflow\n",
                    with: "    - \"/agent/exec\"\n")
            })
        #expect(h.issues.isEmpty, "\(h.issues)")
        #expect(h.run(request("/agent/exec")).count == 1)
        #expect(h.run(request("/prompt")).isEmpty)
    }
}

@Suite struct WorkflowUnauthenticatedExecutionClientTests {
    let id = "workflow.unauthenticated_execution"

    func code(at ms: Int64, client: String, auth: String? = nil) -> Event {
        var f = ["path": "/api/v1/validate/code", "method": "POST", "status": "200", "action": "validate_code"]
        if let auth { f["authenticated"] = auth }
        return SourceEvents.workflow(f, at: ms, client: client)
    }

    func get(at ms: Int64, client: String) -> Event {
        SourceEvents.workflow(["path": "/api/v1/flows/", "method": "GET", "status": "200"], at: ms, client: client)
    }

    @Test func aLoggedInAddressIsLowWhenTheLogDoesNotSay() throws {
        let h = try Harness(id)
        let login = SourceEvents.workflow(
            ["path": "/api/v1/login", "method": "POST", "status": "200", "action": "login"], at: 0, client: "10.20.0.5")
        let f = try #require(h.run(login, code(at: 60_000, client: "10.20.0.5")).first)
        #expect(f.severity == .low)
        #expect(f.fact("client_logged_in") != nil)
        #expect(f.explanation.contains("logged in successfully"))
        let failedLogin = SourceEvents.workflow(
            ["path": "/api/v1/login", "method": "POST", "status": "401", "action": "login"], at: 0, client: "10.20.0.9")
        let other = try Harness(id)
        #expect(other.run(failedLogin, code(at: 60_000, client: "10.20.0.9")).first?.severity == .medium)
        #expect(other.run(code(at: 13 * 3_600_000, client: "10.20.0.5")).first?.severity == .medium)
    }

    @Test func aNewClientNetworkAfterLearningIsHigh() throws {
        let h = try Harness(id)
        let day: Int64 = 86_400_000
        h.run((0..<4).map { get(at: Int64($0) * day, client: "10.20.0.5") })
        let f = try #require(h.run(code(at: 4 * day, client: "203.0.113.66")).first)
        #expect(f.severity == .high)
        #expect(f.fact("client_network_new") == "true")
        let early = try Harness(id)
        #expect(
            early.run(get(at: 0, client: "10.20.0.5"), code(at: 60_000, client: "203.0.113.66")).first?.severity
                == .medium)
    }
}
