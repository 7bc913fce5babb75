import Baselines
import Detection
import Detectors
import EventModel
import Testing

@Suite("identity.new_source")
struct NewSourceBaselineTests {
    let id = "identity.new_source"
    let after = BL.t0 + 9 * BL.dayMs + 60_000

    func automation(_ h: BaselineHarness) {
        h.feed(BL.series(days: 9, every: 10 * 60_000) { t, i in BL.ev(t, ip: "10.0.1.\(i % 200 + 1)") })
    }

    @Test(
        "automation called from a new /24 is medium (a new network alone is not loss of control), with observed and baseline networks"
    )
    func automationNewNetwork() throws {
        let h = try BaselineHarness([id])
        automation(h)
        h.feed(BL.ev(after, ip: "198.51.100.7"))
        let f = try #require(h.findings(id).first)
        #expect(f.key == "198.51.100.0/24")
        #expect(f.severity == .medium)
        #expect(f.blFact("observed_network") == "198.51.100.0/24")
        #expect(f.blFact("baseline_networks")?.hasPrefix("10.0.1.0/24") == true)
        #expect(f.blFact("profile_kind") == "automation")
        #expect(f.blFact("baseline_days") == "9")
        #expect(f.explanation.contains("never seen for it in 9 days of baseline"))
    }

    @Test("a new address in a known /24 and calls via an AWS service stay quiet")
    func benign() throws {
        let h = try BaselineHarness([id])
        automation(h)
        h.feed(BL.ev(after, ip: "10.0.1.250"))
        h.feed(BL.ev(after + 1000, ip: nil, viaService: "cloudformation.amazonaws.com"))
        #expect(h.findings(id).isEmpty)
    }

    @Test("IPv6 addresses are grouped by /48")
    func ipv6() throws {
        let h = try BaselineHarness([id])
        h.feed(BL.series(days: 9, every: 10 * 60_000) { t, i in BL.ev(t, ip: "2001:db8:aa:\(i % 50)::1") })
        h.feed(BL.ev(after, ip: "2001:db8:aa:ffff::99"))
        #expect(h.findings(id).isEmpty)
        h.feed(BL.ev(after + 1000, ip: "2001:db8:bb::1"))
        let f = try #require(h.findings(id).first)
        #expect(f.key == "2001:db8:bb::/48")
    }

    @Test("a roaming human with the console is only low")
    func human() throws {
        let h = try BaselineHarness([id])
        h.feed(
            BL.series(days: 9, every: 30 * 60_000) { t, i in
                BL.ev(
                    t, identity: "arn:aws:iam::111122223333:user/alice", type: .iamUser, service: "ec2",
                    op: "DescribeInstances", ip: "203.0.\(i % 6).9", ua: i % 2 == 0 ? .console : .awsCLI)
            })
        h.feed(
            BL.ev(
                after, identity: "arn:aws:iam::111122223333:user/alice", type: .iamUser, ip: "192.0.2.44",
                ua: .console))
        let f = try #require(h.findings(id).first)
        #expect(f.severity == .low)
        #expect(f.blFact("profile_kind") == "human")
    }

    @Test("quiet during the learning period")
    func learning() throws {
        let h = try BaselineHarness([id])
        h.feed(BL.series(days: 3, every: 10 * 60_000) { t, _ in BL.ev(t) })
        h.feed(BL.ev(BL.t0 + 3 * BL.dayMs, ip: "198.51.100.7"))
        #expect(h.findings(id).isEmpty)
    }
}
