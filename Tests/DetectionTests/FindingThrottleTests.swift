import Detection
import EventModel
import Testing

@Suite struct FindingThrottleTests {
    let hour: Int64 = 3_600_000

    func finding(
        _ minute: Int, key: String = "k", severity: Severity = .medium, id: String? = nil, role: String = "app"
    ) -> Finding {
        let t = Events.t0 + Int64(minute) * 60_000
        return Finding(
            detector: "d", severity: severity, identity: "arn:aws:iam::1:role/\(role)", identityType: .assumedRole,
            account: "1", firstSeen: t, lastSeen: t, eventIds: [id ?? "e\(minute)"], title: "title",
            explanation: "why.", key: key)
    }

    @Test func firstIsEmittedRepeatsAreFoldedAndCounted() throws {
        var t = FindingThrottle()
        #expect(t.offer(finding(0), window: hour) != nil)
        #expect(t.offer(finding(10), window: hour) == nil)
        #expect(t.offer(finding(20, severity: .low), window: hour) == nil)
        #expect(t.folded == 2)
        #expect(t.openGroups == 1)
        #expect(t.close(before: Events.t0 + 30 * 60_000).isEmpty, "window still open")
        let out = t.close(before: Events.t0 + 2 * hour)
        let f = try #require(out.first)
        #expect(out.count == 1)
        #expect(f.count == 2)
        #expect(f.eventIds == ["e10", "e20"])
        #expect(f.severity == .low, "a follow-up updates a finding already reported: at most low")
        #expect(f.facts.contains(Fact("follows", finding(0).id)))
        #expect(f.lastSeen == Events.t0 + 20 * 60_000)
        #expect(f.title == "title (repeated 2×)")
        #expect(f.explanation.hasPrefix("Repeated 2 more time(s) after the first finding at 2026-01-01T00:00:00Z."))
        #expect(f.facts.contains(Fact("repeat_count", "2")))
        #expect(t.openGroups == 0)
    }

    @Test func differentKeysOfOneIdentityFoldAndAreListed() throws {
        var t = FindingThrottle()
        #expect(t.offer(finding(0, key: "fl-1"), window: hour) != nil)
        #expect(t.offer(finding(1, key: "fl-2"), window: hour) == nil)
        #expect(t.offer(finding(1, key: "a", role: "other"), window: hour) != nil, "another identity: its own group")
        #expect(t.openGroups == 2)
        let f = try #require(t.close(before: nil).first)
        #expect(f.facts.contains(Fact("other_keys", "fl-2")))
        #expect(f.title == "title (repeated 1×; also fl-2)")
    }

    @Test func zeroWindowNeverFolds() {
        var t = FindingThrottle()
        #expect(t.offer(finding(0), window: 0) != nil)
        #expect(t.offer(finding(0), window: 0) != nil)
        #expect(t.openGroups == 0)
    }

    @Test func groupWithoutRepeatsClosesSilently() {
        var t = FindingThrottle()
        _ = t.offer(finding(0), window: hour)
        #expect(t.close(before: nil).isEmpty)
        #expect(t.openGroups == 0)
    }

    @Test func capacityClosesOldestGroupsEarly() {
        var t = FindingThrottle(capacity: 2)
        _ = t.offer(finding(0, key: "a", role: "a"), window: hour)
        _ = t.offer(finding(1, key: "a", role: "a"), window: hour)
        _ = t.offer(finding(2, key: "b", role: "b"), window: hour)
        _ = t.offer(finding(3, key: "c", role: "c"), window: hour)
        let out = t.close(before: Events.t0 + 5 * 60_000)
        #expect(out.map(\.key) == ["a"])
        #expect(out.first?.count == 1)
        #expect(t.openGroups == 2)
    }

    @Test func repeatAfterTheWindowStartsANewGroup() {
        var t = FindingThrottle()
        #expect(t.offer(finding(0), window: hour) != nil)
        #expect(t.offer(finding(10), window: hour) == nil)
        #expect(t.offer(finding(120), window: hour) != nil, "outside the window: emitted again")
        let out = t.close(before: nil)
        #expect(out.map(\.count) == [1])
    }
}
