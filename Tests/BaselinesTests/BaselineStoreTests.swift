import Baselines
import EventModel
import Foundation
import Testing

@Suite("BaselineStore")
struct BaselineStoreTests {
    @Test("profile features: APIs, networks, user agents, regions, resources, sessions, counters")
    func features() throws {
        let s = BaselineStore()
        for e in automationEvents(days: 1) { s.observe(e) }
        s.observe(ev(t0 + dayMs, ip: nil))
        s.observe(ev(t0 + dayMs + 1, error: "AccessDenied"))
        let p = try #require(s.profile(roleKey("app")))
        let now = t0 + dayMs
        #expect(p.apis.count == 21)
        #expect(p.api(Hash64.api("s3:Op0"), now: now) != nil)
        #expect(p.networks.count == 3)
        #expect(p.network(NetworkKey.awsService, now: now) != nil)
        #expect(p.network(NetworkKey.of(ip: "10.0.2.77")!, now: now) != nil)
        #expect(p.clientFamilies(now: now).map(\.family) == [.boto3])
        #expect(p.userAgent(.boto3, now: now)?.tag == 2)  // major version 1, stored +1
        #expect(p.region("us-east-1", now: now) != nil)
        #expect(p.resource(.secret, "arn:aws:secretsmanager:us-east-1:\(acct):secret:app/1", now: now) != nil)
        #expect(p.resource(.bucket, "app-bucket-1", now: now) != nil)
        #expect(p.sessions.count == 3)
        #expect(p.events == 1442)
        #expect(p.errors == 1 && p.accessDenied == 1)
        #expect(p.activeHours == 25)
        #expect(p.hourOfWeek.reduce(0, +) == 1442)
        #expect(s.apiName(Hash64.api("s3:Op0")) == "s3:Op0")
        let a = try #require(s.account(acct))
        #expect(a.identitiesUsing(Hash64.api("s3:Op0"), now: now) == 1)
        #expect(a.region("us-east-1", now: now) != nil)
        #expect(a.identities == 1)
    }

    @Test("per-window maxima exclude the current and previous window")
    func windowMaxima() throws {
        let s = BaselineStore()
        // Two distinct secrets per 10-minute window for a day.
        for i in 0..<288 {
            let t = t0 + Int64(i) * 300_000
            s.observe(
                ev(
                    t, service: "secretsmanager", op: "GetSecretValue",
                    resources: [Resource(kind: .secret, id: "s\(i % 2)")]))
        }
        let p = try #require(s.profile(roleKey("app")))
        let now = t0 + dayMs
        #expect(p.priorMaxSecretReads(now: now) == 2)
        // A burst in the current window does not raise the maximum it is compared with.
        for i in 0..<30 {
            s.observe(
                ev(
                    now + Int64(i) * 1000, service: "secretsmanager", op: "GetSecretValue",
                    resources: [Resource(kind: .secret, id: "burst-\(i)")]))
        }
        #expect(p.priorMaxSecretReads(now: now + 60_000) == 2)
        #expect(p.priorMaxSecretReads(now: now + 30 * 60_000) == 30)
        #expect(p.priorMaxReadAPIs(now: now) == 1)
        #expect(p.eventsThisHour(now: now + 60_000) == 30)
        #expect(p.priorMaxHourly(now: now + 60_000) == 12)
    }

    @Test("sets are capped and overflow is counted and shown")
    func caps() throws {
        var cfg = BaselineConfiguration()
        cfg.maxAPIs = 50
        cfg.maxNetworks = 4
        cfg.maxSessions = 8
        let s = BaselineStore(configuration: cfg)
        for i in 0..<80 {
            s.observe(ev(t0 + Int64(i) * 1000, op: "Op\(i)", ip: "192.0.\(i).1", session: "sess-\(i)"))
        }
        let p = try #require(s.profile(roleKey("app")))
        #expect(p.apis.count == 50)
        #expect(p.apis.overflow == 30)
        #expect(p.networks.count == 4)
        #expect(p.networks.overflow == 76)
        #expect(p.sessions.count == 8)
        #expect(p.sessions.forgotten == 72)
        #expect(p.sessions.overflow == 0)
        let text = try #require(s.describe(identity: roleKey("app")))
        #expect(text.contains("APIs: 50 (cap 50, 30 events refused: set full)"))
        // Lookups still work after the index was built.
        #expect(p.api(Hash64.api("s3:Op49"), now: t0) != nil)
        #expect(p.api(Hash64.api("s3:Op50"), now: t0) == nil)
    }

    @Test("the longest-idle identities are evicted past maxIdentities")
    func eviction() throws {
        var cfg = BaselineConfiguration()
        cfg.maxIdentities = 64
        let s = BaselineStore(configuration: cfg)
        for i in 0..<200 { s.observe(ev(t0 + Int64(i) * 1000, identity: roleKey("r\(i)"))) }
        #expect(s.identityCount <= 64)
        #expect(s.profile(roleKey("r0")) == nil)
        #expect(s.profile(roleKey("r199")) != nil)
        #expect(s.stats.identitiesEvicted == UInt64(200 - s.identityCount))
        let a = try #require(s.account(acct))
        #expect(Int(a.identities) == s.identityCount)
        #expect(a.identitiesUsing(Hash64.api("s3:GetObject"), now: t0 + 200_000) == s.identityCount)
        // Evicted identities are listed for deletion by the next incremental snapshot.
        let delta = s.snapshotChanges()
        #expect(delta.removed.count == Int(s.stats.identitiesEvicted))
        #expect(s.snapshotChanges().removed.isEmpty)
        // Too many untracked removals: the next snapshot is complete instead.
        var small = BaselineConfiguration()
        small.maxIdentities = 16
        let s2 = BaselineStore(configuration: small)
        for i in 0..<2000 { s2.observe(ev(t0 + Int64(i) * 1000, identity: roleKey("q\(i)"))) }
        let full = s2.snapshotChanges()
        #expect(full.isComplete && full.removed.isEmpty && full.identities.count == s2.identityCount)
    }

    @Test("entries not seen for forgetAfter are forgotten, lazily and on sweep")
    func aging() throws {
        let s = BaselineStore()
        s.observe(ev(t0, op: "OldOp", ip: "198.51.100.1", region: "eu-west-3"))
        for d in 1...40 { s.observe(ev(t0 + Int64(d) * dayMs)) }
        let p = try #require(s.profile(roleKey("app")))
        let now = t0 + 40 * dayMs
        #expect(p.api(Hash64.api("s3:OldOp"), now: now) == nil)
        #expect(p.apis.find(Hash64.api("s3:OldOp")) == nil)
        #expect(p.apis.forgotten == 1)
        #expect(p.network(NetworkKey.of(ip: "198.51.100.1")!, now: now) == nil)
        #expect(p.region("eu-west-3", now: now) == nil)
        #expect(s.account(acct)?.identitiesUsing(Hash64.api("s3:OldOp"), now: t0) == 0)
        // Lazily: an entry older than forgetAfter reads as absent even before a sweep removes it.
        let s2 = BaselineStore()
        s2.observe(ev(t0))
        let p2 = try #require(s2.profile(roleKey("app")))
        #expect(p2.api(Hash64.api("s3:GetObject"), now: t0 + 29 * dayMs) != nil)
        #expect(p2.api(Hash64.api("s3:GetObject"), now: t0 + 31 * dayMs) == nil)
    }

    @Test("learning period is configurable and per identity")
    func learning() throws {
        var cfg = BaselineConfiguration()
        cfg.learningPeriod = 2 * dayMs
        let s = BaselineStore(configuration: cfg)
        s.observe(ev(t0))
        s.observe(ev(t0 + dayMs, identity: roleKey("late")))
        let p = try #require(s.profile(roleKey("app")))
        #expect(p.isLearning(now: t0 + dayMs))
        #expect(!p.isLearning(now: t0 + 2 * dayMs))
        #expect(s.profile(roleKey("late"))!.isLearning(now: t0 + 2 * dayMs))
        #expect(BaselineStore().profile(roleKey("x")) == nil)
    }

    @Test("a typical automation role stays under 10 KB")
    func memory() throws {
        let s = BaselineStore()
        for e in automationEvents(days: 9) { s.observe(e) }
        let p = try #require(s.profile(roleKey("app")))
        #expect(p.apis.count == 20)
        #expect(p.networks.count == 2)
        #expect(p.events > 12_000)
        print("approximateBytes per automation identity: \(p.approximateBytes)")
        #expect(p.approximateBytes < 10_000)
        #expect(p.approximateBytes > 1_000)
    }

    @Test("describe and JSON export read the profile in words")
    func describe() throws {
        let s = BaselineStore()
        for e in automationEvents(days: 9) { s.observe(e) }
        s.observe(
            ev(
                t0 + 9 * dayMs, service: "sts", op: "AssumeRole",
                resources: [Resource(kind: .role, id: roleKey("deploy"))]))
        let text = try #require(s.describe(identity: roleKey("app")))
        #expect(text.contains("9 days, 12,961 events"))
        #expect(text.contains("10.0.1.0/24"))
        #expect(text.contains("boto3 v1"))
        #expect(text.contains("assumed role/deploy ×1"))
        #expect(s.describe(identity: "nobody") == nil)
        let json = try #require(s.exportJSON(identity: roleKey("app")))
        let obj = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(obj["identity"] as? String == roleKey("app"))
        #expect((obj["apis"] as? [Any])?.count == 21)
        #expect(obj["assumed_roles"] as? [String] == [roleKey("deploy")])
        let all = try #require(try JSONSerialization.jsonObject(with: Data(s.exportJSON().utf8)) as? [Any])
        #expect(all.count == 1)
    }
}
