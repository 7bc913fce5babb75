import Baselines
import EventModel
import Foundation
import Testing

@Suite("Baseline snapshots")
struct SnapshotBaselineTests {
    func populated() -> BaselineStore {
        let s = BaselineStore()
        for e in automationEvents(days: 3, every: 120_000) { s.observe(e) }
        for e in automationEvents(identity: roleKey("other"), days: 2, every: 300_000) { s.observe(e) }
        s.observe(
            ev(
                t0 + 3 * dayMs, service: "sts", op: "AssumeRole", account: "444455556666",
                resources: [Resource(kind: .role, id: roleKey("deploy"))]))
        return s
    }

    @Test("snapshot then restore gives the same profiles, facts, names and trust graph")
    func roundTrip() throws {
        let s = populated()
        let snap = s.snapshot()
        #expect(snap.isComplete)
        #expect(snap.identities.count == 2)
        let r = BaselineStore()
        try r.restore(snap)
        // Everything but the container capacities (approximate_bytes) is identical.
        func content(_ json: String) -> [Substring] {
            json.split(separator: "\n").filter { !$0.contains("approximate_bytes") }
        }
        #expect(content(r.exportJSON()) == content(s.exportJSON()))
        func words(_ text: String?) -> [Substring] {
            (text ?? "").split(separator: "\n").filter { !$0.hasPrefix("Memory:") }
        }
        #expect(words(r.describe(identity: roleKey("app"))) == words(s.describe(identity: roleKey("app"))))
        #expect(r.assumedRoles(by: roleKey("app")).map(\.role) == [roleKey("deploy")])
        #expect(r.account("444455556666") != nil)
        #expect(r.stats == s.stats)
        // Restored profiles keep learning and aging as before.
        r.observe(ev(t0 + 3 * dayMs + 1000, op: "NewOp"))
        #expect(r.profile(roleKey("app"))!.api(Hash64.api("s3:NewOp"), now: t0 + 4 * dayMs) != nil)
    }

    @Test("incremental snapshots carry only identities changed since the previous one")
    func incremental() throws {
        let s = populated()
        _ = s.snapshot()
        #expect(s.snapshotChanges().identities.isEmpty)
        s.observe(ev(t0 + 4 * dayMs, identity: roleKey("other")))
        let d = s.snapshotChanges()
        #expect(!d.isComplete)
        #expect(d.identities.map(\.key) == [roleKey("other")])
        #expect(d.facts["accounts"] != nil)
    }

    @Test("corrupt or truncated records throw and leave the store empty")
    func corrupt() throws {
        let s = populated()
        var snap = s.snapshot()
        snap.identities[0].bytes = Array(snap.identities[0].bytes.prefix(20))
        let r = BaselineStore()
        #expect(throws: BinaryDecodeError.self) { try r.restore(snap) }
        #expect(r.identityCount == 0)
        var bad = s.snapshot()
        bad.identities[1].bytes[0] = 99
        do {
            try r.restore(bad)
            Issue.record("expected an error")
        } catch {
            #expect(error.message.contains("unsupported baseline format 99"))
            #expect(error.message.contains(roleKey("other")))
        }
        var junk = s.snapshot()
        junk.facts["names"] = [1, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
        #expect(throws: BinaryDecodeError.self) { try r.restore(junk) }
    }
}
