import Baselines
import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite("RiskCorrelator")
struct RiskCorrelatorBaselineTests {
    @Test("new user agent + new API + secret burst for one identity: facts added, one step at most, never above medium")
    func coincide() throws {
        let h = try Harness(RegistryBaselineTests.ids, stages: [RiskCorrelator()])
        h.feed(
            BL.series(days: 9, every: 10 * 60_000) { t, i in
                TestEvents.ev(
                    t, service: "secretsmanager", op: "GetSecretValue",
                    resources: [Resource(kind: .secret, id: "app/\(i % 2)")])
            })
        let after = BL.t0 + 9 * BL.dayMs
        h.feed(
            TestEvents.ev(
                after, service: "secretsmanager", op: "GetSecretValue", ua: .pythonRequests,
                resources: [Resource(kind: .secret, id: "app/0")]))
        let ua = try #require(h.findings("identity.new_user_agent").first)
        #expect(ua.severity == .medium)
        #expect(ua.fact("risk_score") == nil)
        h.feed(TestEvents.ev(after + 60_000, service: "sts", op: "GetCallerIdentity", ua: .pythonRequests))
        for i in 0..<6 {
            h.feed(
                TestEvents.ev(
                    after + 120_000 + Int64(i) * 1000, service: "secretsmanager", op: "GetSecretValue",
                    ua: .pythonRequests, resources: [Resource(kind: .secret, id: "prod/\(i)")]))
        }
        let burst = try #require(h.findings("secrets.enumeration").first)
        #expect(burst.severity == .high, "correlation never makes a finding critical")
        #expect(Int(burst.fact("risk_score") ?? "0")! >= 8)
        #expect(burst.fact("correlated_detectors")?.contains("identity.new_user_agent") == true)
        #expect(!burst.explanation.contains("severity raised"))
        h.finish()
        let api = try #require(h.findings("identity.new_api").first { $0.key == "sts:GetCallerIdentity" })
        #expect(api.severity == .medium)
        #expect(api.fact("correlated_detectors")?.contains("identity.new_user_agent") == true)
    }

    @Test("signals outside the window or for other identities are not combined; identities are bounded")
    func separate() {
        var cfg = RiskCorrelator.Configuration()
        cfg.maxIdentities = 16
        let c = RiskCorrelator(configuration: cfg)
        func finding(_ det: String, _ who: String, _ t: Int64) -> Finding {
            Finding(
                detector: det, severity: .low, identity: who, identityType: .assumedRole, account: BL.acct,
                firstSeen: t, lastSeen: t, eventIds: [], title: "", explanation: "", key: "k")
        }
        var a = finding("a", "x", BL.t0)
        c.correlate(&a)
        var b = finding("b", "y", BL.t0)
        c.correlate(&b)
        var late = finding("c", "x", BL.t0 + 31 * 60_000)
        c.correlate(&late)
        #expect(a.severity == .low && b.severity == .low && late.severity == .low)
        var near = finding("d", "x", BL.t0 + 32 * 60_000)
        c.correlate(&near)
        #expect(near.severity == .medium)
        var info = finding("e", "z", BL.t0)
        info.severity = .info
        c.correlate(&info)
        var low = finding("f", "z", BL.t0 + 1000)
        c.correlate(&low)
        #expect(low.severity == .low)
        for i in 0..<100 {
            var f = finding("a", "id-\(i)", BL.t0 + Int64(i))
            c.correlate(&f)
        }
        #expect(c.identityCount <= 16)
    }
}
