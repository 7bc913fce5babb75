import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite struct AccessKeysForManyUsersTests {
    let id = "persistence.access_keys_for_many_users"

    /// `CreateAccessKey` for `user` by `who` at `minute`.
    func key(_ user: String, by who: Identity = TestEvents.role(), minute: Int, error: String = "") -> Event {
        TestEvents.make("iam", "CreateAccessKey", by: who, request: ["userName": user], error: error, minute: minute)
    }

    @Test func keysForThreeUsersInAnHourAreOneFinding() throws {
        let events = [key("alice", minute: 0), key("bob", minute: 10), key("carol", minute: 50)]
        let h = try Harness(id)
        #expect(h.issues.isEmpty, "\(h.issues)")
        #expect(h.run(Array(events.prefix(2))).isEmpty, "two users are below min_users")
        let fired = h.run(events[2])
        let f = try #require(fired.first)
        #expect(fired.count == 1)
        #expect(f.severity == .high)
        #expect(f.title == "ci-deployer created access keys for 3 other IAM users")
        #expect(f.key == "many-users")
        #expect(f.count == 3)
        #expect(f.eventIds == events.map(\.eventId))
        #expect(f.firstSeen == events[0].time)
        #expect(f.fact("target_users") == "alice, bob, carol")
        #expect(f.fact("observed_window") == "50 min")
        #expect(f.explanation.contains("203.0.113.7"))
        #expect(f.mitre == ["T1098.001"])
    }

    @Test func repeatsOwnKeysAndSlowSpreadsAreNotASweep() throws {
        // One user three times.
        #expect(
            try Harness.findings(id, key("alice", minute: 0), key("alice", minute: 1), key("alice", minute: 2)).isEmpty)
        // A user rotating its own key is not counted; no userName means its own key too.
        let alice = TestEvents.user("alice")
        #expect(
            try Harness.findings(
                id, key("bob", minute: 0), key("carol", minute: 1), key("alice", by: alice, minute: 2),
                TestEvents.make("iam", "CreateAccessKey", by: alice, minute: 3)
            ).isEmpty)
        // Three users, but more than an hour apart: the first has left the window.
        #expect(try Harness.findings(id, key("a", minute: 0), key("b", minute: 40), key("c", minute: 70)).isEmpty)
        // Other callers' keys are counted for them, not together.
        let other = TestEvents.role("other-role")
        #expect(
            try Harness.findings(id, key("a", minute: 0), key("b", by: other, minute: 1), key("c", minute: 2)).isEmpty)
    }

    @Test func onlyFailedAttemptsAreAFailedAttempt() throws {
        let failed = try Harness.findings(
            id, key("a", minute: 0, error: "AccessDenied"), key("b", minute: 1, error: "AccessDenied"),
            key("c", minute: 2, error: "AccessDenied"))
        #expect(failed.map(\.severity) == [.low])
        #expect(failed.first?.title == "ci-deployer tried to create access keys for 3 other IAM users")
        let mixed = try Harness.findings(
            id, key("a", minute: 0, error: "AccessDenied"), key("b", minute: 1),
            key("c", minute: 2, error: "AccessDenied"))
        #expect(mixed.map(\.severity) == [.high])
    }

    @Test func settingsAndAllowListApply() throws {
        let two = try Harness(id, edit: withSetting("min_users", "2"))
        #expect(two.issues.isEmpty, "\(two.issues)")
        #expect(two.run(key("a", minute: 0), key("b", minute: 1)).count == 1)
        let allowed = try Harness(
            id, edit: withAllowlist("  - identity: \"arn:aws:iam::*:role/ci-deployer\"", "    reason: key rotation"))
        #expect(allowed.issues.isEmpty, "\(allowed.issues)")
        #expect(allowed.run(key("a", minute: 0), key("b", minute: 1), key("c", minute: 2)).isEmpty)
        #expect(allowed.engine.stats.allowlisted == 1)
        let bad = try Harness(id, edit: withSetting("min_users", "1"))
        #expect(!bad.issues.isEmpty, "min_users below 2 is a config error")
    }

    @Test func aFloodOfUsersIsCountedButNotKept() throws {
        let h = try Harness(id, edit: { withSetting("max_tracked", "8")(withSetting("min_users", "20")($0)) })
        #expect(h.issues.isEmpty, "\(h.issues)")
        let fired = h.run((0..<50).map { key("user-\($0)", minute: $0 / 10) })
        let f = try #require(fired.first)
        #expect(fired.count == 1, "one window reports once")
        #expect(f.count == 20)
        #expect(f.fact("target_users") == (0..<8).map { "user-\($0)" }.joined(separator: ", "))
        #expect(f.explanation.contains("user-7 and 12 more"))
        #expect(h.run(key("late", minute: 59)).isEmpty, "still the same window")
    }

    /// A restart (state saved and restored at any point) gives the findings of an uninterrupted run;
    /// bad snapshot bytes restore to an empty detector (the shared round-trip checks).
    @Test func snapshotsRoundTrip() throws {
        var events: [Event] = []
        for (i, user) in ["alice", "bob", "carol", "dave", "erin"].enumerated() {
            events.append(key(user, minute: i * 5, error: i == 0 ? "AccessDenied" : ""))
            events.append(key(user, by: TestEvents.role("other-role"), minute: i * 5 + 1))
        }
        events += (0..<4).map { key("u\($0)", minute: 200 + $0) }
        let c = RoundTripCase(id: id, events: events, focus: 1)
        try SnapshotRoundTripTests().roundTrip(c)
        try SnapshotRoundTripTests().badBytes(c)
        try SnapshotRoundTripTests().garbage(c)
    }
}
