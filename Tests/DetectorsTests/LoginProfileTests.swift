import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite struct LoginProfileTests {
    let id = "persistence.login_profile"

    @Test func commonBehaviour() throws {
        try checkCommonBehaviour(id, severity: .high, key: "alice") { minute, error in
            TestEvents.make(
                "iam", "UpdateLoginProfile", request: ["userName": "alice", "passwordResetRequired": "false"],
                error: error, minute: minute)
        }
    }

    @Test func createForAnotherUser() throws {
        let f = try #require(
            try Harness.findings(
                id,
                TestEvents.make(
                    "iam", "CreateLoginProfile", request: ["userName": "bob", "passwordResetRequired": "false"])
            ).first)
        #expect(f.severity == .high)
        #expect(f.title == "ci-deployer created the console password of IAM user bob")
        #expect(f.fact("own_user") == "false")
        #expect(f.explanation.contains("No password change is required"))
    }

    @Test func ownPasswordIsMediumAndConfigurable() throws {
        let bob = TestEvents.user("bob")
        let own = TestEvents.make("iam", "UpdateLoginProfile", by: bob, request: ["userName": "bob"])
        let f = try #require(try Harness.findings(id, own).first)
        #expect(f.severity == .medium)
        #expect(f.fact("own_user") == "true")
        let implicit = TestEvents.make("iam", "CreateLoginProfile", by: bob)
        #expect(try Harness.findings(id, implicit).first?.key == "bob")
        let h = try Harness(id, edit: withSetting("own_user_severity", "low"))
        #expect(h.run(own).first?.severity == .low)
    }

    @Test func iamUserResettingAnotherUser() throws {
        let f = try #require(
            try Harness.findings(
                id,
                TestEvents.make(
                    "iam", "UpdateLoginProfile", by: TestEvents.user("bob"), request: ["userName": "alice"])
            ).first)
        #expect(f.severity == .high)
    }
}
