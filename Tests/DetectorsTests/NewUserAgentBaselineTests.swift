import Baselines
import Detection
import Detectors
import EventModel
import Testing

@Suite("identity.new_user_agent")
struct NewUserAgentBaselineTests {
    let id = "identity.new_user_agent"
    let after = t0 + 9 * dayMs + 60_000

    func baseline(_ h: Harness) {
        h.feed(series(days: 9, every: 10 * 60_000) { t, _ in ev(t, ua: .boto3, uaVersion: "1.28.4") })
    }

    @Test("Boto3 to python-requests is a finding with the baseline families")
    func familySwitch() throws {
        let h = try Harness([id])
        baseline(h)
        h.feed(ev(after, ua: .pythonRequests, uaVersion: "2.31.0"))
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
        h.feed(ev(after, ua: .boto3, uaVersion: "1.34.100"))
        h.feed(ev(after + 1000, ua: .boto3, uaVersion: "2.0.0"))
        h.feed(ev(after + 2000, ua: .botocore, uaVersion: "1.31.0"))
        h.feed(ev(after + 3000, ua: .awsInternal))
        h.feed(ev(after + 4000, ua: .empty))
        #expect(h.findings(id).isEmpty)
    }

    @Test("an offensive tool is high, even while the identity is learning")
    func offensive() throws {
        let h = try Harness([id])
        h.feed(series(days: 1, every: 10 * 60_000) { t, _ in ev(t) })
        h.feed(ev(t0 + dayMs, ua: .offensiveTool, uaVersion: "1.0"))
        let f = try #require(h.findings(id).first)
        #expect(f.severity == .high)
        // An ordinary new family during learning stays quiet.
        h.feed(ev(t0 + dayMs + 1000, ua: .awsCLI))
        #expect(h.findings(id).count == 1)
    }

    @Test("a human with many clients switching family is low")
    func human() throws {
        let h = try Harness([id])
        h.feed(series(days: 9, every: 10 * 60_000) { t, i in
            ev(t, identity: "arn:aws:iam::111122223333:user/bob", type: .iamUser,
                ua: [.console, .awsCLI, .terraform][i % 3])
        })
        h.feed(ev(after, identity: "arn:aws:iam::111122223333:user/bob", type: .iamUser, ua: .awsSDKGo))
        let f = try #require(h.findings(id).first)
        #expect(f.severity == .low)
    }
}
