import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite struct AccessKeyForOtherUserTests {
    let id = "persistence.access_key_for_other_user"

    @Test func commonBehaviour() throws {
        try checkCommonBehaviour(id, severity: .high, key: "alice") { minute, error in
            TestEvents.make("iam", "CreateAccessKey", request: ["userName": "alice"], error: error, minute: minute)
        }
    }

    @Test func userCreatingOwnKeyIsNotAFinding() throws {
        let alice = TestEvents.user("alice")
        #expect(
            try Harness.findings(
                id, TestEvents.make("iam", "CreateAccessKey", by: alice, request: ["userName": "alice"])
            ).isEmpty)
        #expect(try Harness.findings(id, TestEvents.make("iam", "CreateAccessKey", by: alice)).isEmpty)
    }

    @Test func userCreatingKeyForAnotherUser() throws {
        let f = try #require(
            try Harness.findings(
                id,
                TestEvents.make(
                    "iam", "CreateAccessKey", by: TestEvents.user("jack"), request: ["userName": "jackson"],
                    response: [
                        "accessKey": #"{"accessKeyId":"AKIAIOSFODNN7EXAMPLE","status":"Active","userName":"jackson"}"#
                    ])
            ).first)
        #expect(f.title == "jack created an access key for IAM user jackson")
        #expect(f.fact("new_access_key_id") == "AKIAIOSFODNN7EXAMPLE")
        #expect(f.explanation.contains("IAM user jack"))
    }

    @Test func rootCreatingKeyForUserFires() throws {
        let f = try #require(
            try Harness.findings(
                id,
                TestEvents.make(
                    "iam", "CreateAccessKey", by: TestEvents.root(), request: ["userName": "bob"])
            ).first)
        #expect(
            f.explanation.hasPrefix(
                "The root user (arn:aws:iam::111122223333:root) created an access key for IAM user bob"))
    }
}
