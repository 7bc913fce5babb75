import EventModel
import Investigation
import Testing
import TestSupport

@Suite("Incident builder") struct IncidentBuilderTests {
    static let web = "arn:aws:iam::111122223333:role/web"
    static let admin = "arn:aws:iam::111122223333:role/admin"
    static let alice = "arn:aws:iam::111122223333:user/alice"
    static let t0 = EventBuilder.time("2024-05-01T10:00:00Z")

    func finding(_ identity: String, _ detector: String, _ severity: Severity, at minutes: Int64, id: String) -> Finding
    {
        Finding(
            detector: detector, severity: severity, identity: identity, identityType: .assumedRole,
            account: "111122223333", firstSeen: Self.t0 + minutes * 60_000, lastSeen: Self.t0 + minutes * 60_000,
            eventIds: [id], title: "\(detector) on \(identity)", explanation: "x")
    }

    func assume(_ from: String, _ to: String, at minutes: Int64) -> Event {
        EventBuilder.aws(
            "sts:AssumeRole", identity: from, time: Self.t0 + minutes * 60_000,
            parameters: ["roleArn": to, "roleSessionName": "s"], eventId: "assume-\(minutes)")
    }

    @Test func chainedFindingsFormOneIncidentWithRaisedSeverityAndTimeline() {
        let b = IncidentBuilder()
        b.add(finding(Self.web, "discovery.burst", .medium, at: 0, id: "e1"))
        b.observe(assume(Self.web, Self.admin, at: 5))
        b.add(finding(Self.admin, "persistence.iam_user_created", .high, at: 8, id: "e2"))
        b.observe(
            EventBuilder.aws(
                "iam:CreateUser", identity: Self.admin, time: Self.t0 + 8 * 60_000, parameters: ["userName": "bd"],
                eventId: "e2"))
        let incidents = b.finish()
        #expect(incidents.count == 1)
        let i = incidents[0]
        #expect(i.root == Self.web)
        #expect(i.identities == [Self.web, Self.admin, "arn:aws:iam::111122223333:user/bd"])
        #expect(i.severity == .critical)
        #expect(i.findingCount == 2)
        #expect(i.findingIds.count == 2 && i.findingIds.allSatisfy { $0.hasPrefix("f-") })
        #expect(i.chain.map(\.kind) == [.assumedRole, .createdUser])
        #expect(i.timeline.map(\.kind) == [.finding, .chain, .chain, .finding])
        #expect(i.eventIds.contains("assume-5"))
        #expect(i.id.hasPrefix("inc-") && i.id.count == 20)
        #expect(i.title.contains("role/web") && i.title.contains("role/admin"))
    }

    @Test func lowFindingCallerIsNotPulledIntoAnotherIncident() {
        let b = IncidentBuilder()
        b.add(finding(Self.alice, "identity.new_user_agent", .low, at: 0, id: "a1"))
        b.observe(assume(Self.alice, Self.admin, at: 1))
        b.add(finding(Self.admin, "persistence.iam_user_created", .high, at: 20, id: "e2"))
        let incidents = b.finish()
        #expect(incidents.count == 1)
        #expect(incidents.first?.identities == [Self.admin])
        #expect(incidents.first?.severity == .high)
    }

    @Test func farApartFindingsAreSeparateAndLowOnesAreNotReported() {
        let b = IncidentBuilder()
        b.add(finding(Self.web, "a.b", .medium, at: 0, id: "x1"))
        b.add(finding(Self.web, "a.c", .medium, at: 60 * 24, id: "x2"))
        b.add(finding(Self.alice, "a.d", .low, at: 0, id: "x3"))
        let incidents = b.finish()
        #expect(incidents.count == 2)
        #expect(incidents.allSatisfy { $0.identities == [Self.web] })
        #expect(Set(incidents.map(\.id)).count == 2)
    }

    @Test func findingsAreBoundedKeepingSevereOnes() {
        var c = IncidentBuilder.Configuration()
        c.maxFindings = 10
        let b = IncidentBuilder(configuration: c)
        for i in 0..<50 { b.add(finding(Self.alice, "n.low", .low, at: Int64(i), id: "l\(i)")) }
        b.add(finding(Self.web, "n.high", .high, at: 60, id: "h"))
        #expect(b.droppedFindings == 41)
        let incidents = b.finish()
        #expect(incidents.map(\.root) == [Self.web])
    }

    @Test func sameInputGivesSameIncidents() {
        func run() -> [String] {
            let b = IncidentBuilder()
            b.add(finding(Self.admin, "z.z", .high, at: 8, id: "e2"))
            b.add(finding(Self.web, "a.a", .medium, at: 0, id: "e1"))
            b.observe(assume(Self.web, Self.admin, at: 5))
            return b.finish().map { "\($0.id) \($0.title) \($0.identities)" }
        }
        #expect(run() == run())
    }

    @Test func closeReturnsOnlyQuietIncidentsAndForgetsThem() {
        let b = IncidentBuilder()
        b.add(finding(Self.web, "discovery.burst", .medium, at: 0, id: "e1"))
        b.observe(assume(Self.web, Self.admin, at: 5))
        b.add(finding(Self.admin, "persistence.iam_user_created", .high, at: 8, id: "e2"))
        b.add(finding(Self.alice, "evasion.cloudtrail_tampering", .critical, at: 200, id: "e3"))
        #expect(b.close(before: Self.t0 + 100 * 60_000).isEmpty, "still within the window")
        let closed = b.close(before: Self.t0 + 200 * 60_000)
        #expect(closed.count == 1)
        #expect(closed.first?.identities == [Self.web, Self.admin])
        #expect(closed.first?.findingCount == 2)
        #expect(b.heldFindings == 1, "the closed incident's findings are forgotten")
        #expect(b.close(before: Self.t0 + 200 * 60_000).isEmpty, "closed once")
        #expect(b.finish().map(\.root) == [Self.alice])
    }

    @Test("update reports an incident when it opens, when it changes and when it closes, under one id")
    func statuses() throws {
        let b = IncidentBuilder()
        b.add(finding(Self.web, "discovery.burst", .medium, at: 0, id: "e1"))
        let opened = b.update(watermark: Self.t0 + 60_000)
        #expect(opened.map(\.status) == [.open])
        let id = try #require(opened.first?.id)
        #expect(b.update(watermark: Self.t0 + 61_000).isEmpty, "unchanged: not reported again")
        b.observe(assume(Self.web, Self.admin, at: 5))
        b.add(finding(Self.admin, "persistence.iam_user_created", .high, at: 8, id: "e2"))
        let updated = b.update(watermark: Self.t0 + 9 * 60_000)
        #expect(updated.map(\.status) == [.updated] && updated.first?.id == id && updated.first?.findingCount == 2)
        let copy = IncidentBuilder()
        #expect(copy.restore(b.snapshot()))
        #expect(copy.update(watermark: Self.t0 + 10 * 60_000).isEmpty, "a restart does not reopen it")
        let closed = copy.update(watermark: Self.t0 + 300 * 60_000)
        #expect(closed.map(\.status) == [.closed] && closed.first?.id == id)
        #expect(copy.heldFindings == 0)
        #expect(copy.update(watermark: Self.t0 + 301 * 60_000).isEmpty)
    }

    @Test("a low finding alone never opens an incident")
    func lowDoesNotOpen() {
        let b = IncidentBuilder()
        b.add(finding(Self.web, "identity.new_source", .low, at: 0, id: "e1"))
        #expect(b.update(watermark: Self.t0 + 60_000).isEmpty)
        #expect(b.update(watermark: Self.t0 + 300 * 60_000).isEmpty)
        #expect(b.heldFindings == 0, "forgotten once quiet")
    }

    @Test("open incidents survive a snapshot and restore; bad bytes restore nothing")
    func snapshotRoundTrip() throws {
        let a = IncidentBuilder()
        a.add(finding(Self.web, "discovery.burst", .medium, at: 0, id: "e1"))
        a.observe(assume(Self.web, Self.admin, at: 5))
        let saved = a.snapshot()
        let b = IncidentBuilder()
        #expect(b.restore(saved))
        #expect(b.heldFindings == 1)
        for x in [a, b] {
            x.add(finding(Self.admin, "persistence.iam_user_created", .high, at: 8, id: "e2"))
        }
        let one = a.finish()
        let two = b.finish()
        #expect(one.count == 1 && two.count == 1)
        #expect(two.first?.identities == one.first?.identities)
        #expect(two.first?.id == one.first?.id)
        #expect(two.first?.chain.map(\.kind) == [.assumedRole])
        #expect(b.snapshot() == a.snapshot())
        for bad in [[], [9], Array(saved.dropLast(3)), [UInt8](repeating: 0x80, count: 40)] {
            let c = IncidentBuilder()
            #expect(!c.restore(bad))
            #expect(c.heldFindings == 0)
        }
    }
}
