import Baselines
import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite("identity.unusual_region")
struct UnusualRegionTests {
    let id = "identity.unusual_region"
    let after = BL.t0 + 9 * BL.dayMs

    func baseline(_ h: Harness) {
        h.feed(BL.series(days: 9, every: 20 * 60_000) { t, i in TestEvents.ev(t, region: "us-east-1") })
        h.feed(
            BL.series(days: 9, every: 20 * 60_000) { t, i in
                TestEvents.ev(t + 1, identity: BL.roleKey("etl"), region: "eu-west-1")
            })
    }

    @Test("RunInstances in a region the account never used is raised")
    func runInstances() throws {
        let h = try Harness([id])
        baseline(h)
        h.feed(TestEvents.ev(after, service: "ec2", op: "RunInstances", region: "ap-southeast-3"))
        let f = try #require(h.findings(id).first)
        #expect(f.key == "ap-southeast-3")
        #expect(f.severity == .high)
        #expect(f.fact("account_regions")?.contains("us-east-1") == true)
        #expect(f.fact("identity_regions") == "us-east-1")
        #expect(f.mitre.contains("T1535"))
        // Once the account has seen it, later calls there are quiet.
        h.feed(TestEvents.ev(after + 1000, service: "ec2", op: "RunInstances", region: "ap-southeast-3"))
        #expect(h.findings(id).count == 1)
    }

    @Test("a region new to the identity but used by the account is quiet; a read elsewhere is low")
    func drift() throws {
        let h = try Harness([id])
        baseline(h)
        h.feed(TestEvents.ev(after, service: "ec2", op: "RunInstances", region: "eu-west-1"))
        #expect(h.findings(id).isEmpty)
        h.feed(TestEvents.ev(after + 1000, service: "ec2", op: "DescribeInstances", region: "sa-east-1"))
        #expect(h.findings(id).first?.severity == .low)
    }

    @Test("quiet while the account is learning")
    func learning() throws {
        let h = try Harness([id])
        h.feed(TestEvents.ev(BL.t0, region: "us-east-1"))
        h.feed(TestEvents.ev(BL.t0 + BL.dayMs, service: "ec2", op: "RunInstances", region: "ap-south-2"))
        #expect(h.findings(id).isEmpty)
    }
}
