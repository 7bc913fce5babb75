import Baselines
import EventModel
import Foundation
import Testing

@Suite("Quarantine: observations held out of the baseline")
struct QuarantineTests {
    let cause = QuarantineCause(detector: "identity.new_source", severity: .high)

    /// An identity with a week of ordinary history (s3:GetObject from 10.0.1.5).
    func learned(_ c: BaselineConfiguration = .default) -> BaselineStore {
        let s = BaselineStore(configuration: c)
        for e in automationEvents(days: 8, every: 3_600_000) { s.learn(e, evidence: nil) }
        return s
    }

    func attack(_ t: Int64, op: String = "ListBuckets", ip: String = "203.0.113.9") -> Event {
        ev(t, op: op, ip: ip, ua: .curl, uaVersion: "8.1")
    }

    @Test("evidence and a suspect identity's events are held, not learned; others are learned")
    func heldNotLearned() {
        let s = learned()
        let t = t0 + 8 * dayMs
        s.learn(attack(t), evidence: cause)
        s.learn(attack(t + 60_000, op: "GetCallerIdentity"), evidence: nil)  // suspect: held too
        s.learn(ev(t + 120_000, identity: roleKey("other"), op: "Fresh"), evidence: nil)  // another identity: learned
        let p = s.profile(roleKey("app"))!
        #expect(p.api(Hash64.api("s3:ListBuckets"), now: t + dayMs) == nil)
        #expect(p.api(Hash64.api("s3:GetCallerIdentity"), now: t + dayMs) == nil)
        #expect(s.profile(roleKey("other")) != nil)
        let q = s.quarantined(roleKey("app"))!
        #expect(q.observations.count == 2)
        #expect(q.observations.map(\.viaSuspect) == [false, true])
        #expect(s.suspect(roleKey("app"), at: t + hourMs) != nil)
        // After the suspect window, ordinary events are learned again.
        s.learn(attack(t + 25 * hourMs, op: "Later"), evidence: nil)
        #expect(s.profile(roleKey("app"))!.api(Hash64.api("s3:Later"), now: t + 2 * dayMs) != nil)
        // Low-severity evidence is learned.
        s.learn(attack(t + 26 * hourMs, op: "Low"), evidence: QuarantineCause(detector: "x", severity: .low))
        #expect(s.profile(roleKey("app"))!.api(Hash64.api("s3:Low"), now: t + 2 * dayMs) != nil)
    }

    @Test("an identity in its learning period is not made suspect (no cascade into an empty baseline)")
    func notSuspectWhileLearning() {
        let s = BaselineStore()
        let young = automationEvents(days: 1, every: 3_600_000)
        for e in young { s.learn(e, evidence: nil) }
        let t = young.last!.time + 60_000
        s.markSuspect(roleKey("app"), at: t, cause: cause)
        #expect(s.suspect(roleKey("app"), at: t + hourMs) == nil)
        let grown = learned()
        let later = t0 + 8 * dayMs
        grown.markSuspect(roleKey("app"), at: later, cause: cause)
        #expect(grown.suspect(roleKey("app"), at: later + hourMs) != nil)
    }

    @Test("held events count as current activity (volume spike) but never raise the learned hourly maximum")
    func heldEventsAreCurrentActivity() {
        let s = learned()
        let t = t0 + 8 * dayMs + 10 * hourMs
        let p = s.profile(roleKey("app"))!
        let before = p.priorMaxHourly(now: t)
        for i in 0..<50 { s.learn(attack(t + Int64(i) * 1000, op: "Op\(i)"), evidence: cause) }
        #expect(p.eventsThisHour(now: t + 60_000) == 50)
        #expect(p.priorMaxHourly(now: t + 3 * hourMs) == before)
    }

    @Test("accept learns the held observations and ends the suspicion")
    func accept() {
        let s = learned()
        let t = t0 + 8 * dayMs
        for i in 0..<5 { s.learn(attack(t + Int64(i) * 1000), evidence: cause) }  // repeats fold
        #expect(s.quarantined(roleKey("app"))!.observations.count == 1)
        #expect(s.quarantined(roleKey("app"))!.observations[0].count == 5)
        #expect(s.acceptQuarantined(identity: roleKey("app")) == 1)
        let p = s.profile(roleKey("app"))!
        #expect(p.api(Hash64.api("s3:ListBuckets"), now: t + dayMs)?.firstSeen == t)
        #expect(p.networks.stat(NetworkKey.of(ip: "203.0.113.9")!) != nil)
        #expect(s.quarantined(roleKey("app")) == nil)
        #expect(s.suspect(roleKey("app"), at: t + 1) == nil)
        #expect(s.quarantine.stats.accepted == 5)
    }

    @Test("held observations are dropped, unlearned, after quarantinePeriod")
    func expiry() {
        var c = BaselineConfiguration()
        c.quarantinePeriod = 14 * dayMs
        let s = learned(c)
        let t = t0 + 8 * dayMs
        s.learn(attack(t), evidence: cause)
        s.learn(ev(t + 13 * dayMs), evidence: nil)
        #expect(s.quarantined(roleKey("app")) != nil, "13 days: still waiting for a verdict")
        s.learn(ev(t + 14 * dayMs + 1), evidence: nil)
        #expect(s.quarantined(roleKey("app")) == nil)
        #expect(s.quarantine.stats.expired == 1)
        #expect(s.quarantine.count == 0 && s.quarantine.bytes == 0)
        #expect(s.acceptQuarantined(identity: roleKey("app")) == 0)
        #expect(s.profile(roleKey("app"))!.api(Hash64.api("s3:ListBuckets"), now: t + 15 * dayMs) == nil)
    }

    @Test("caps hold: per identity, in total, in bytes, and suspects")
    func caps() {
        var c = BaselineConfiguration()
        c.maxQuarantinedPerIdentity = 10
        c.maxQuarantined = 25
        c.maxSuspects = 3
        let s = BaselineStore(configuration: c)
        let t = t0
        for i in 0..<1000 {
            // Attacker-controlled variety: every call distinct, many identities.
            s.learn(
                ev(t + Int64(i), identity: roleKey("r\(i % 7)"), op: "Op\(i)", ip: "198.51.\(i % 200).1"),
                evidence: cause)
        }
        #expect(s.quarantine.identities.values.allSatisfy { $0.observations.count <= 10 })
        #expect(s.quarantine.count == 25)
        #expect(s.quarantine.suspects.count <= 3)
        #expect(s.quarantine.stats.dropped == 1000 - 25)
        for (_, q) in s.quarantine.identities { #expect(q.dropped > 0) }

        var b = BaselineConfiguration()
        b.maxQuarantineBytes = 4096
        let small = BaselineStore(configuration: b)
        let long = String(repeating: "x", count: 400)
        for i in 0..<100 {
            small.learn(
                ev(t + Int64(i), op: "Op\(i)", resources: [Resource(kind: .secret, id: long + "\(i)")]), evidence: cause
            )
        }
        #expect(small.quarantine.bytes <= 4096)
        #expect(small.quarantine.count < 10)
    }

    @Test("the quarantine survives a snapshot; a snapshot without it (previous version) loads")
    func snapshot() throws {
        let s = learned()
        let t = t0 + 8 * dayMs
        s.learn(
            ev(t, service: "secretsmanager", op: "GetSecretValue", resources: [Resource(kind: .secret, id: "prod/db")]),
            evidence: cause)
        s.learn(attack(t + 1000), evidence: nil)
        let snap = s.snapshot()
        #expect(snap.facts["quarantine"] != nil)
        let r = BaselineStore()
        try r.restore(snap)
        #expect(r.quarantined(roleKey("app"))?.observations.count == 2)
        #expect(r.suspect(roleKey("app"), at: t + hourMs)?.cause == cause)
        #expect(r.describe(identity: roleKey("app"))?.contains("evidence of identity.new_source (high)") == true)
        #expect(r.describe(identity: roleKey("app"))?.contains("identity suspect after identity.new_source") == true)
        r.acceptQuarantined(identity: roleKey("app"))
        #expect(r.profile(roleKey("app"))!.resources.count == s.profile(roleKey("app"))!.resources.count + 1)

        var old = snap
        old.facts["quarantine"] = nil
        let o = BaselineStore()
        try o.restore(old)
        #expect(o.quarantine.count == 0)
        #expect(o.identityCount == s.identityCount)
        // A store that never held anything writes no quarantine fact (older builds read it unchanged).
        #expect(learned().snapshot().facts["quarantine"] == nil)
    }

    @Test("forget removes what was first seen in the window and keeps what was known before")
    func forget() {
        let s = learned()
        let t = t0 + 8 * dayMs
        s.observe(attack(t))  // learned before the quarantine existed
        s.observe(ev(t + 1000, op: "Op0"))  // an ordinary call, known since t0
        let summary = s.forget(identity: roleKey("app"), firstSeenIn: t...(t + hourMs))!
        let p = s.profile(roleKey("app"))!
        #expect(p.api(Hash64.api("s3:ListBuckets"), now: t + dayMs) == nil)
        #expect(p.networks.stat(NetworkKey.of(ip: "203.0.113.9")!) == nil)
        #expect(p.api(Hash64.api("s3:Op0"), now: t + dayMs) != nil)
        #expect(summary.total >= 3, "API, network, user agent")
        #expect(s.forget(identity: roleKey("none"), firstSeenIn: t...t) == nil)
    }
}
