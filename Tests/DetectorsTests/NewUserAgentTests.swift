import Baselines
import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite("identity.new_user_agent")
struct NewUserAgentTests {
    let id = "identity.new_user_agent"
    let after = BL.t0 + 9 * BL.dayMs + 60_000

    func baseline(_ h: Harness) {
        h.feed(BL.series(days: 9, every: 10 * 60_000) { t, _ in TestEvents.ev(t, ua: .boto3, uaVersion: "1.28.4") })
    }

    @Test("Boto3 to python-requests is a finding with the baseline families")
    func familySwitch() throws {
        let h = try Harness([id])
        baseline(h)
        h.feed(TestEvents.ev(after, ua: .pythonRequests, uaVersion: "2.31.0"))
        let f = try #require(h.findings(id).first)
        #expect(f.key == "python-requests")
        #expect(f.severity == .medium)
        #expect(f.fact("observed_family") == "python-requests")
        #expect(f.fact("baseline_families") == "boto3 v1 ×1,296")
        #expect(f.fact("baseline_events") == "1296")
    }

    @Test("SDK version bumps, botocore, aws-internal and empty agents stay quiet")
    func benign() throws {
        let h = try Harness([id])
        baseline(h)
        h.feed(TestEvents.ev(after, ua: .boto3, uaVersion: "1.34.100"))
        h.feed(TestEvents.ev(after + 1000, ua: .boto3, uaVersion: "2.0.0"))
        h.feed(TestEvents.ev(after + 2000, ua: .botocore, uaVersion: "1.31.0"))
        h.feed(TestEvents.ev(after + 3000, ua: .awsInternal))
        h.feed(TestEvents.ev(after + 4000, ua: .empty))
        #expect(h.findings(id).isEmpty)
    }

    @Test("an offensive tool is high, even while the identity is learning")
    func offensive() throws {
        let h = try Harness([id])
        h.feed(BL.series(days: 1, every: 10 * 60_000) { t, _ in TestEvents.ev(t) })
        h.feed(TestEvents.ev(BL.t0 + BL.dayMs, ua: .offensiveTool, uaVersion: "1.0"))
        let f = try #require(h.findings(id).first)
        #expect(f.severity == .high)
        // An ordinary new family during learning stays quiet.
        h.feed(TestEvents.ev(BL.t0 + BL.dayMs + 1000, ua: .awsCLI))
        #expect(h.findings(id).count == 1)
    }

    @Test("a human with many clients switching family is low")
    func human() throws {
        let h = try Harness([id])
        h.feed(
            BL.series(days: 9, every: 10 * 60_000) { t, i in
                TestEvents.ev(
                    t, identity: "arn:aws:iam::111122223333:user/bob", type: .iamUser,
                    ua: [.console, .awsCLI, .terraform][i % 3])
            })
        h.feed(TestEvents.ev(after, identity: "arn:aws:iam::111122223333:user/bob", type: .iamUser, ua: .awsSDKGo))
        let f = try #require(h.findings(id).first)
        #expect(f.severity == .low)
    }
}
