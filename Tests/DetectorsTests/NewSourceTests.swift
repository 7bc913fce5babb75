import Baselines
import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite("identity.new_source")
struct NewSourceTests {
    let id = "identity.new_source"
    let after = BL.t0 + 9 * BL.dayMs + 60_000

    func automation(_ h: Harness) {
        h.feed(BL.series(days: 9, every: 10 * 60_000) { t, i in TestEvents.ev(t, ip: "10.0.1.\(i % 200 + 1)") })
    }

    @Test(
        "automation called from a new /24 is medium (a new network alone is not loss of control), with observed and baseline networks"
    )
    func automationNewNetwork() throws {
        let h = try Harness([id])
        automation(h)
        h.feed(TestEvents.ev(after, ip: "198.51.100.7"))
        let f = try #require(h.findings(id).first)
        #expect(f.key == "198.51.100.0/24")
        #expect(f.severity == .medium)
        #expect(f.fact("observed_network") == "198.51.100.0/24")
        #expect(f.fact("baseline_networks")?.hasPrefix("10.0.1.0/24") == true)
        #expect(f.fact("profile_kind") == "automation")
        #expect(f.fact("baseline_days") == "9")
        #expect(f.explanation.contains("never seen for it in 9 days of baseline"))
    }

    @Test("a new address in a known /24 and calls via an AWS service stay quiet")
    func benign() throws {
        let h = try Harness([id])
        automation(h)
        h.feed(TestEvents.ev(after, ip: "10.0.1.250"))
        h.feed(TestEvents.ev(after + 1000, ip: nil, viaService: "cloudformation.amazonaws.com"))
        #expect(h.findings(id).isEmpty)
    }

    @Test("IPv6 addresses are grouped by /48")
    func ipv6() throws {
        let h = try Harness([id])
        h.feed(BL.series(days: 9, every: 10 * 60_000) { t, i in TestEvents.ev(t, ip: "2001:db8:aa:\(i % 50)::1") })
        h.feed(TestEvents.ev(after, ip: "2001:db8:aa:ffff::99"))
        #expect(h.findings(id).isEmpty)
        h.feed(TestEvents.ev(after + 1000, ip: "2001:db8:bb::1"))
        let f = try #require(h.findings(id).first)
        #expect(f.key == "2001:db8:bb::/48")
    }

    @Test("a roaming human with the console is only low")
    func human() throws {
        let h = try Harness([id])
        h.feed(
            BL.series(days: 9, every: 30 * 60_000) { t, i in
                TestEvents.ev(
                    t, identity: "arn:aws:iam::111122223333:user/alice", type: .iamUser, service: "ec2",
                    op: "DescribeInstances", ip: "203.0.\(i % 6).9", ua: i % 2 == 0 ? .console : .awsCLI)
            })
        h.feed(
            TestEvents.ev(
                after, identity: "arn:aws:iam::111122223333:user/alice", type: .iamUser, ip: "192.0.2.44",
                ua: .console))
        let f = try #require(h.findings(id).first)
        #expect(f.severity == .low)
        #expect(f.fact("profile_kind") == "human")
    }

    /// Two AWS us-east-1 prefixes, one nested prefix of another class, as a snapshot file says them.
    static let classes = NetworkClasses.parse(
        "# date: 2026-10-26\n52.0.0.0/11\taws us-east-1\n3.80.0.0/12\taws us-east-1\n52.20.0.0/16\taws us-east-2\n"
    ).classes

    /// A Lambda function outside a VPC: a new address in a new /24 of its region at every cold start.
    func lambda(_ h: Harness) {
        h.store.networkClasses = Self.classes
        h.feed(
            BL.series(days: 9, every: 10 * 60_000) { t, i in
                TestEvents.ev(t, ip: "52.\(i % 20).\(i % 199).\(i % 250 + 2)")
            })
    }

    @Test("a churning identity is judged by network class: a new /24 inside its class is quiet")
    func churnInsideClass() throws {
        let h = try Harness([id])
        lambda(h)
        h.feed(TestEvents.ev(after, ip: "52.30.201.9"))
        h.feed(TestEvents.ev(after + 1000, ip: "3.85.1.1"))
        #expect(h.findings(id).isEmpty)
    }

    @Test("a churning cloud workload leaving its classes is reported at the configured severity, with the classes")
    func churnNewClass() throws {
        let h = try Harness([id])
        lambda(h)
        h.feed(TestEvents.ev(after, ip: "198.51.100.7"))
        let f = try #require(h.findings(id).first)
        #expect(f.severity == .medium)
        #expect(f.fact("judged_by") == "network class")
        #expect(f.fact("observed_class") == "outside every published cloud range")
        #expect(f.fact("baseline_classes")?.hasPrefix("aws us-east-1") == true)
        #expect(f.explanation.contains("judged by network class"))
        h.feed(TestEvents.ev(after + 25 * 3_600_000, ip: "52.20.7.7"))
        let second = try #require(h.findings(id).last)
        #expect(second.fact("observed_class") == "aws us-east-2")
    }

    /// Nine days from the addresses `learn` gives, then a call from `quiet` (no finding) and one
    /// from `outside` (a finding whose `observed_class` is `expected`).
    func judgedByClass(
        _ classes: NetworkClasses, learn: @escaping (Int) -> String, quiet: String, outside: String, expected: String
    ) throws {
        let h = try Harness([id])
        h.store.networkClasses = classes
        h.feed(BL.series(days: 9, every: 10 * 60_000) { t, i in TestEvents.ev(t, ip: learn(i)) })
        h.feed(TestEvents.ev(after, ip: quiet))
        #expect(h.findings(id).isEmpty)
        h.feed(TestEvents.ev(after + 1000, ip: outside))
        let f = try #require(h.findings(id).first)
        #expect(f.fact("observed_class") == expected)
    }

    @Test("an identity already roaming two regions of a provider (hosted CI runners) is quiet in a third")
    func runnersAcrossRegions() throws {
        let classes = NetworkClasses.parse(
            "20.1.0.0/16\tazure eastus\n20.2.0.0/16\tazure westus2\n20.3.0.0/16\tazure centralus\n"
                + "52.0.0.0/11\taws us-east-1\n"
        ).classes
        try judgedByClass(
            classes, learn: { i in "20.\(i % 2 + 1).\(i % 199).\(i % 250 + 2)" }, quiet: "20.3.9.9",
            outside: "52.1.2.3", expected: "aws us-east-1")
    }

    @Test("pods churning inside a private /16 are quiet; another private network is a new class")
    func podsPrivateEnclosure() throws {
        try judgedByClass(
            .none, learn: { i in "10.244.\(i % 40).\(i % 250 + 2)" }, quiet: "10.244.77.3", outside: "10.99.0.5",
            expected: "private 10.99.0.0/16")
    }

    @Test("a stable workload is still judged by /24, even inside a cloud class it uses")
    func stableInsideClass() throws {
        let h = try Harness([id])
        h.store.networkClasses = Self.classes
        h.feed(BL.series(days: 9, every: 10 * 60_000) { t, i in TestEvents.ev(t, ip: "52.1.1.\(i % 200 + 1)") })
        h.feed(TestEvents.ev(after, ip: "52.1.2.9"))
        let f = try #require(h.findings(id).first)
        #expect(f.severity == .medium)
        #expect(f.fact("judged_by") == nil)
    }

    @Test("quiet during the learning period")
    func learning() throws {
        let h = try Harness([id])
        h.feed(BL.series(days: 3, every: 10 * 60_000) { t, _ in TestEvents.ev(t) })
        h.feed(TestEvents.ev(BL.t0 + 3 * BL.dayMs, ip: "198.51.100.7"))
        #expect(h.findings(id).isEmpty)
    }
}
