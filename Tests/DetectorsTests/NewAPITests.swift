import Baselines
import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite("identity.new_api")
struct NewAPITests {
    let id = "identity.new_api"

    /// Nine days of web-app (S3 + SQS) plus a few other identities of the account calling DescribeInstances.
    func baseline(_ h: Harness) {
        h.feed(
            BL.series(days: 9, every: 10 * 60_000) { t, i in
                i % 2 == 0 ? TestEvents.ev(t) : TestEvents.ev(t, service: "sqs", op: "ReceiveMessage")
            })
        for n in 0..<5 {
            h.feed(
                BL.series(days: 9, every: BL.hourMs) { t, _ in
                    TestEvents.ev(
                        t + Int64(n) * 1000, identity: BL.roleKey("ops-\(n)"), service: "ec2", op: "DescribeInstances")
                })
        }
    }

    @Test("a never-called secret read by an established identity is high and explains the baseline")
    func secretRead() throws {
        let h = try Harness([id])
        baseline(h)
        let t = BL.t0 + 9 * BL.dayMs + 60_000
        h.feed(
            TestEvents.ev(
                t, service: "secretsmanager", op: "GetSecretValue",
                resources: [Resource(kind: .secret, id: "arn:aws:secretsmanager:us-east-1:111122223333:secret:prod/db")]
            ))
        h.finish()  // first-time APIs are reported when their burst ends
        let f = try #require(h.findings(id).first)
        #expect(f.key == "secretsmanager:GetSecretValue")
        #expect(f.severity == .high)
        #expect(f.fact("baseline_days") == "9")
        #expect(f.fact("baseline_events") == "1296")
        #expect(f.fact("baseline_apis") == "2")
        #expect(f.fact("account_identities_using") == "0")
        #expect(f.explanation.contains("never called by role/web-app in 9 days of baseline (1,296 events)"))
        #expect(f.mitre.contains("T1555.006"))
    }

    @Test("sts:GetCallerIdentity gets the configured severity")
    func callerIdentity() throws {
        let h = try Harness([id])
        baseline(h)
        h.feed(TestEvents.ev(BL.t0 + 9 * BL.dayMs + 60_000, service: "sts", op: "GetCallerIdentity"))
        h.finish()  // first-time APIs are reported when their burst ends
        let f = try #require(h.findings(id).first)
        #expect(f.severity == .medium)
        #expect(f.mitre.contains("T1087.004"))
    }

    @Test("a common read-only API new to the identity but used across the account stays quiet")
    func commonRead() throws {
        let h = try Harness([id])
        baseline(h)
        h.feed(TestEvents.ev(BL.t0 + 9 * BL.dayMs + 60_000, service: "ec2", op: "DescribeInstances"))
        #expect(h.findings(id).isEmpty)
        // Known APIs never fire.
        h.feed(TestEvents.ev(BL.t0 + 9 * BL.dayMs + 120_000))
        #expect(h.findings(id).isEmpty)
    }

    @Test("a read-only API no one in the account calls is only low")
    func rareRead() throws {
        let h = try Harness([id])
        baseline(h)
        h.feed(TestEvents.ev(BL.t0 + 9 * BL.dayMs + 60_000, service: "dynamodb", op: "ListTables"))
        h.finish()  // first-time APIs are reported when their burst ends
        let f = try #require(h.findings(id).first)
        #expect(f.severity == .low)
    }

    @Test("quiet while the identity and account are learning")
    func learning() throws {
        let h = try Harness([id])
        h.feed(BL.series(days: 2, every: 10 * 60_000) { t, _ in TestEvents.ev(t) })
        h.feed(TestEvents.ev(BL.t0 + 2 * BL.dayMs + 60_000, service: "secretsmanager", op: "GetSecretValue"))
        #expect(h.findings(id).isEmpty)
    }

    @Test("a brand-new identity in an established account calling a sensitive API fires")
    func brandNewIdentity() throws {
        let h = try Harness([id])
        baseline(h)
        let t = BL.t0 + 9 * BL.dayMs + 60_000
        h.feed(
            TestEvents.ev(
                t, identity: "arn:aws:iam::111122223333:user/backdoor", type: .iamUser, service: "iam",
                op: "CreateAccessKey"))
        h.finish()  // first-time APIs are reported when their burst ends
        let f = try #require(h.findings(id).first)
        #expect(f.fact("identity_learning") == "true")
        #expect(f.explanation.contains("brand-new identity"))
        // A non-sensitive call by a brand-new identity stays quiet.
        h.feed(
            TestEvents.ev(
                t + 1000, identity: "arn:aws:iam::111122223333:user/newbie", type: .iamUser, service: "s3",
                op: "ListBuckets"))
        #expect(h.findings(id).count == 1)
    }

    @Test("a denied new API uses failed_severity")
    func failed() throws {
        let h = try Harness([id])
        baseline(h)
        h.feed(TestEvents.ev(BL.t0 + 9 * BL.dayMs + 60_000, service: "iam", op: "CreateUser", error: "AccessDenied"))
        h.finish()  // first-time APIs are reported when their burst ends
        let f = try #require(h.findings(id).first)
        #expect(f.severity == .low)
    }
}
