import EventModel
import Investigation
import Testing
import TestSupport

@Suite("Workload identities join AI-workflow incidents") struct WorkloadIncidentTests {
    static let role = "arn:aws:iam::111122223333:role/langflow-host"
    static let anon = "workflow:langflow-prod/anonymous"
    static let t0 = EventBuilder.time("2026-03-11T06:30:00Z")

    func finding(
        _ identity: String, _ detector: String, _ severity: Severity, at minutes: Int64, account: String,
        facts: [Fact] = []
    ) -> Finding {
        Finding(
            detector: detector, severity: severity, identity: identity, identityType: .assumedRole, account: account,
            firstSeen: Self.t0 + minutes * 60_000, lastSeen: Self.t0 + minutes * 60_000, eventIds: ["e\(minutes)"],
            title: "\(detector) on \(identity)", explanation: "x", facts: facts)
    }

    func request(at minutes: Int64, severity: Severity = .critical) -> Finding {
        finding(
            Self.anon, "workflow.unauthenticated_execution", severity, at: minutes, account: "langflow-prod",
            facts: [Fact("client", "203.0.113.66"), Fact("target", "/api/v1/validate/code")])
    }

    func builder() -> IncidentBuilder {
        var c = IncidentBuilder.Configuration()
        c.workloads = [Workload(server: "langflow-prod", identity: Self.role)]
        return IncidentBuilder(configuration: c)
    }

    @Test func theRolesFindingsJoinTheRequestsIncidentStartingAtTheClient() throws {
        let b = builder()
        b.add(request(at: 0))
        b.add(finding(Self.role, "identity.new_api", .medium, at: 12, account: "111122223333"))
        let incidents = b.finish()
        #expect(incidents.count == 1)
        let i = try #require(incidents.first)
        #expect(i.root == Self.anon)
        #expect(i.identities == [Self.anon, Self.role])
        #expect(i.severity == .critical)
        #expect(i.chain.map(\.kind) == [.workload])
        #expect(i.chain.first?.fromCredential == "203.0.113.66")
        let step = try #require(i.timeline.first { $0.kind == .chain })
        #expect(step.title.hasPrefix("client 203.0.113.66 → /api/v1/validate/code on langflow-prod: "))
        #expect(step.title.hasSuffix("ran code as workload identity role/langflow-host"))
        #expect(i.title.contains("role/langflow-host"))
    }

    @Test func withoutTheMappingOrOutsideTheWindowOrForALowRequestTheyStaySeparate() {
        let plain = IncidentBuilder()
        plain.add(request(at: 0))
        plain.add(finding(Self.role, "identity.new_api", .medium, at: 12, account: "111122223333"))
        #expect(plain.finish().count == 2)
        let late = builder()
        late.add(request(at: 0))
        late.add(finding(Self.role, "identity.new_api", .medium, at: 300, account: "111122223333"))
        #expect(late.finish().count == 2)
        let low = builder()
        low.add(request(at: 0, severity: .low))
        low.add(finding(Self.role, "identity.new_api", .medium, at: 12, account: "111122223333"))
        #expect(low.finish().map(\.identities) == [[Self.role]])
        let other = builder()
        other.add(finding(Self.anon, "workflow.unauthenticated_execution", .critical, at: 0, account: "n8n"))
        other.add(finding(Self.role, "identity.new_api", .medium, at: 12, account: "111122223333"))
        #expect(other.finish().count == 2)
    }

    @Test func repeatedRequestFindingsAddOneEdge() throws {
        let b = builder()
        b.add(request(at: 0))
        b.add(request(at: 1))
        b.add(finding(Self.role, "workflow.workload_activity", .high, at: 12, account: "111122223333"))
        let i = try #require(b.finish().first)
        #expect(i.chain.count == 1)
        #expect(i.findingCount == 3)
    }

    @Test func investigatingTheRequesterFollowsToTheWorkloadIdentity() throws {
        var c = Investigator.Configuration()
        c.workloads = [Workload(server: "langflow-prod", identity: Self.role)]
        let inv = Investigator(target: InvestigationTarget(Self.anon), configuration: c)
        let req = Event(
            time: Self.t0, provider: .workflow, eventSource: "langflow-prod", account: "langflow-prod",
            identity: Identity(key: Self.anon, type: .anonymous, accountId: "langflow-prod"),
            action: Action(service: "workflow", operation: "validate_code"), eventId: "e0")
        let before = EventBuilder.aws(
            "secretsmanager:ListSecrets", identity: Self.role, time: Self.t0 - 3_600_000, eventId: "early")
        let after = EventBuilder.aws(
            "secretsmanager:ListSecrets", identity: Self.role, time: Self.t0 + 600_000, eventId: "late")
        inv.observe(before)
        inv.add(request(at: 0))
        inv.observe(req)
        inv.observe(after)
        let report = inv.finish(before: nil)
        #expect(report.principals.map(\.identity) == [Self.anon, Self.role])
        let role = try #require(report.principals.last)
        #expect(role.events == 1)
    }
}
