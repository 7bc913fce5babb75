import Baselines
import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite("credentials.exfiltration")
struct CredentialExfiltrationTests {
    let id = "credentials.exfiltration"
    let role = BL.roleKey("app-instance")
    let after = BL.t0 + 9 * BL.dayMs

    /// Instances of the role call from their subnet with rotating session keys.
    func baseline(_ h: Harness) {
        h.feed(
            BL.series(days: 9, every: 10 * 60_000) { t, i in
                TestEvents.ev(
                    t, identity: role, ip: "10.0.2.\(i % 20 + 10)", accessKey: "ASIAOLD\(i / 36)", instance: "i-0abc",
                    session: "i-0abc")
            })
    }

    @Test("an instance-profile key used outside the role's networks fires (InstanceCredentialExfiltration)")
    func outside() throws {
        let h = try Harness([id])
        baseline(h)
        h.feed(TestEvents.ev(after, identity: role, ip: "10.0.2.15", accessKey: "ASIASTOLEN1", instance: "i-0abc"))
        #expect(h.findings(id).isEmpty)
        h.feed(
            TestEvents.ev(
                after + 20 * 60_000, identity: role, service: "sts", op: "GetCallerIdentity", ip: "198.51.100.7",
                ua: .awsCLI, accessKey: "ASIASTOLEN1", instance: "i-0abc"))
        let f = try #require(h.findings(id).first)
        #expect(f.key == "ASIASTOLEN1")
        #expect(f.severity == .critical, "credentials used from outside: loss of control")
        #expect(f.firstSeen == after + 20 * 60_000, "starts at the first misuse, not at the key's first use")
        #expect(f.fact("key_first_seen") != nil)
        #expect(f.fact("instance_id") == "i-0abc")
        #expect(f.fact("observed_network") == "198.51.100.0/24")
        #expect(f.fact("baseline_networks")?.hasPrefix("10.0.2.0/24") == true)
        #expect(f.explanation.contains("InstanceCredentialExfiltration"))
        #expect(f.mitre.contains("T1552.005"))
    }

    @Test("one session key from two networks within minutes fires for any session")
    func concurrent() throws {
        let h = try Harness([id])
        let dev = "arn:aws:iam::111122223333:role/developer"
        h.feed(TestEvents.ev(BL.t0, identity: dev, ip: "203.0.113.10", accessKey: "ASIADEV1"))
        h.feed(TestEvents.ev(BL.t0 + 120_000, identity: dev, ip: "192.0.2.200", accessKey: "ASIADEV1"))
        let f = try #require(h.findings(id).first)
        #expect(f.fact("other_network") == "203.0.113.0/24")
        #expect(f.fact("seconds_between") == "120")
    }

    @Test("benign churn: one session over a NAT gateway's known address pool")
    func natPool() throws {
        let h = try Harness([id])
        let worker = BL.roleKey("worker")
        // Learning: the workload's sessions leave through four NAT addresses in different /16s.
        let pool = ["52.10.1.5", "34.200.7.9", "18.232.4.1", "44.192.8.8"]
        h.feed(
            BL.series(days: 9, every: 10 * 60_000) { t, i in
                TestEvents.ev(t, identity: worker, ip: pool[i % 4], accessKey: "ASIAPOOL\(i / 12)")
            })
        #expect(h.findings(id).count <= 1, "learning may see the pool once per key at most")
        let before = h.findings(id).count
        // After learning: one session over all four addresses within a minute is no theft.
        for (i, ip) in pool.enumerated() {
            h.feed(TestEvents.ev(after + Int64(i) * 10_000, identity: worker, ip: ip, accessKey: "ASIAPOOLNEW"))
        }
        #expect(h.findings(id).count == before, "known pool addresses are not two places")
    }

    @Test("before any baseline, one key over two NAT addresses of one cloud region is not two places; another class is")
    func natPoolWhileLearning() throws {
        let h = try Harness([id])
        h.store.networkClasses =
            NetworkClasses.parse("54.80.0.0/12\taws us-east-1\n3.80.0.0/12\taws us-east-1\n").classes
        let task = BL.roleKey("batch-task")
        h.feed(TestEvents.ev(BL.t0, identity: task, ip: "54.85.65.230", accessKey: "ASIATASK1"))
        h.feed(TestEvents.ev(BL.t0 + 1000, identity: task, ip: "3.83.58.196", accessKey: "ASIATASK1"))
        #expect(h.findings(id).isEmpty, "the NAT gateways of one region")
        h.feed(TestEvents.ev(BL.t0 + 2000, identity: task, ip: "198.51.100.9", accessKey: "ASIATASK1"))
        let f = try #require(h.findings(id).first)
        #expect(f.fact("observed_network") == "198.51.100.0/24")
    }

    @Test("an Auto Scaling replacement's fresh session from its own new address is not theft; its reuse elsewhere is")
    func replacementInstance() throws {
        let h = try Harness([id])
        baseline(h)
        h.feed(
            TestEvents.ev(
                after + BL.hourMs, identity: role, ip: "54.1.2.3", accessKey: "ASIANEWINST", instance: "i-0new"))
        h.feed(
            TestEvents.ev(
                after + BL.hourMs + 60_000, identity: role, ip: "54.1.2.3", accessKey: "ASIANEWINST",
                instance: "i-0new"))
        #expect(h.findings(id).filter { $0.key == "ASIANEWINST" }.isEmpty)
        h.feed(
            TestEvents.ev(
                after + BL.hourMs + 30 * 60_000, identity: role, ip: "198.51.100.7", accessKey: "ASIANEWINST",
                instance: "i-0new"))
        #expect(h.findings(id).contains { $0.key == "ASIANEWINST" })
    }

    @Test("benign: same /24, hours apart, long-lived keys, IPv4 and IPv6 of a dual-stack client")
    func benign() throws {
        let h = try Harness([id])
        baseline(h)
        h.feed(TestEvents.ev(after, identity: role, ip: "10.0.2.99", accessKey: "ASIAOK1", instance: "i-0abc"))
        let dev = "arn:aws:iam::111122223333:role/developer"
        h.feed(TestEvents.ev(after, identity: dev, ip: "203.0.113.10", accessKey: "ASIADEV2"))
        h.feed(TestEvents.ev(after + 3 * BL.hourMs, identity: dev, ip: "192.0.2.200", accessKey: "ASIADEV2"))
        h.feed(TestEvents.ev(after, identity: dev, ip: "203.0.113.10", accessKey: "ASIADEV3"))
        h.feed(TestEvents.ev(after + 60_000, identity: dev, ip: "2001:db8::5", accessKey: "ASIADEV3"))
        h.feed(
            TestEvents.ev(
                after, identity: "arn:aws:iam::111122223333:user/ci", type: .iamUser, ip: "203.0.113.10",
                accessKey: "AKIALONG"))
        h.feed(
            TestEvents.ev(
                after + 60_000, identity: "arn:aws:iam::111122223333:user/ci", type: .iamUser, ip: "192.0.2.1",
                accessKey: "AKIALONG"))
        #expect(h.findings(id).isEmpty)
    }

    @Test("tracked keys survive a snapshot and restore")
    func snapshot() throws {
        let h = try Harness([id])
        h.feed(TestEvents.ev(BL.t0, ip: "203.0.113.10", accessKey: "ASIAX"))
        let h2 = try Harness([id])
        h2.engine.restoreDetectors(h.engine.snapshotDetectors())
        h2.feed(TestEvents.ev(BL.t0 + 60_000, ip: "192.0.2.9", accessKey: "ASIAX"))
        #expect(h2.findings(id).count == 1)
    }
}
