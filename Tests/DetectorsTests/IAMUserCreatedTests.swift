import Detection
import Detectors
import EventModel
import Testing

@Suite struct IAMUserCreatedTests {
    let id = "persistence.iam_user_created"

    @Test func commonBehaviour() throws {
        try checkCommonBehaviour(id, severity: .medium, key: "backdoor") { minute, error in
            TestEvents.make("iam", "CreateUser", request: ["userName": "backdoor"], error: error, minute: minute)
        }
    }

    @Test func wordingAndPath() throws {
        let f = try #require(
            try Harness.findings(
                id,
                TestEvents.make(
                    "iam", "CreateUser", request: ["userName": "svc-x", "path": "/system/"])
            ).first)
        #expect(f.title == "ci-deployer created IAM user svc-x")
        #expect(f.fact("new_user") == "svc-x")
        #expect(f.fact("path") == "/system/")
        #expect(f.mitre == ["T1136.003"])
    }

    @Test func allowListByResourcePattern() throws {
        let h = try Harness(id, edit: withAllowlist("  - resource: \"svc-*\"", "    reason: service users"))
        #expect(h.run(TestEvents.make("iam", "CreateUser", request: ["userName": "svc-x"])).isEmpty)
        #expect(h.run(TestEvents.make("iam", "CreateUser", request: ["userName": "eve"])).count == 1)
    }

    @Test func anotherUserWithinTheWindowFoldsIntoTheFirstAndIsNamed() throws {
        let h = try Harness(id)
        let out = h.run(
            TestEvents.make("iam", "CreateUser", request: ["userName": "a"]),
            TestEvents.make("iam", "CreateUser", request: ["userName": "b"], minute: 1))
        #expect(out.map(\.key) == ["a"])
        let up = h.finish()
        #expect(up.map(\.key) == ["a"])
        #expect(up.first?.facts.contains(Fact("other_keys", "b")) == true)
    }
}
