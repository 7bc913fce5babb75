import Baselines
import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite("discovery.burst")
struct DiscoveryBurstTests {
    let id = "discovery.burst"
    let after = BL.t0 + 9 * BL.dayMs + 60_000
    static let reads: [(String, String)] = {
        var out: [(String, String)] = []
        for s in ["ec2", "iam", "s3", "lambda", "rds", "dynamodb", "sqs", "sns", "kms", "logs"] {
            for op in ["ListA", "ListB", "DescribeC", "DescribeD", "GetE", "GetF", "ListG", "DescribeH"] {
                out.append((s, op))
            }
        }
        return out
    }()

    @Test("a developer role suddenly enumerating 30 APIs over several services fires")
    func burst() throws {
        let h = try Harness([id])
        h.feed(
            BL.series(days: 9, every: 5 * 60_000) { t, i in
                TestEvents.ev(
                    t, identity: BL.roleKey("developer"), service: "s3",
                    op: ["ListObjectsV2", "GetObject", "PutObject"][i % 3])
            })
        for i in 0..<30 {
            let (s, op) = Self.reads[i * 2]
            h.feed(TestEvents.ev(after + Int64(i) * 5000, identity: BL.roleKey("developer"), service: s, op: op))
        }
        let f = try #require(h.findings(id).first)
        #expect(h.findings(id).count == 1)
        #expect(f.key == "discovery")
        #expect(f.fact("observed_distinct_apis") == "20")
        #expect(f.fact("baseline_max_per_window") == "2")
        #expect(Int(f.fact("observed_services") ?? "0")! >= 3)
        #expect(f.explanation.contains("its previous maximum was 2 distinct read APIs per 10 min"))
    }

    @Test("an inventory scanner's daily sweep stays quiet")
    func scanner() throws {
        let h = try Harness([id])
        // Every day at 02:00 the scanner calls 80 distinct read APIs within 4 minutes.
        for day in 0..<10 {
            for (i, (s, op)) in Self.reads.enumerated() {
                h.feed(
                    TestEvents.ev(
                        BL.t0 + Int64(day) * BL.dayMs + 2 * BL.hourMs + Int64(i) * 3000,
                        identity: BL.roleKey("inventory"),
                        service: s, op: op))
            }
        }
        #expect(h.findings(id).isEmpty)
        let p = try #require(h.store.profile(BL.roleKey("inventory")))
        #expect(p.priorMaxReadAPIs(now: BL.t0 + 10 * BL.dayMs) == 80)
    }

    @Test("a spike of AccessDenied fires; a usual level of denials does not")
    func denied() throws {
        let h = try Harness([id])
        h.feed(
            BL.series(days: 9, every: 10 * 60_000) { t, i in
                TestEvents.ev(
                    t, identity: BL.roleKey("worker"), service: "s3", op: "PutObject",
                    error: i % 10 == 0 ? "AccessDenied" : "")
            })
        for i in 0..<12 {
            h.feed(
                TestEvents.ev(
                    after + Int64(i) * 10_000, identity: BL.roleKey("worker"), service: "iam", op: "CreateUser\(i)",
                    error: "AccessDenied"))
        }
        let f = try #require(h.findings(id).first { $0.key == "access-denied" })
        #expect(f.fact("observed_denied") == "10")
        #expect(f.fact("baseline_max_per_window") == "1")
    }

    @Test("quiet while learning")
    func learning() throws {
        let h = try Harness([id])
        for i in 0..<40 {
            let (s, op) = Self.reads[i]
            h.feed(TestEvents.ev(BL.t0 + Int64(i) * 1000, identity: BL.roleKey("new"), service: s, op: op))
        }
        #expect(h.findings(id).isEmpty)
    }
}
