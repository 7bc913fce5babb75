import Detection
import Detectors
import EventModel
import Testing

@Suite struct FederationTokenTests {
    let id = "persistence.federation_token"

    @Test func commonBehaviour() throws {
        try checkCommonBehaviour(id, severity: .medium, key: "session") { minute, error in
            TestEvents.make(
                "sts", "GetFederationToken", request: ["name": "session", "durationSeconds": "129600"],
                error: error, minute: minute)
        }
    }

    @Test func durationAndPolicyFacts() throws {
        let f = try #require(
            try Harness.findings(
                id,
                TestEvents.make(
                    "sts", "GetFederationToken", by: TestEvents.user("deploy"),
                    request: ["name": "x", "durationSeconds": "129600", "policy": #"{"Statement":[]}"#])
            ).first)
        #expect(f.title == "deploy minted a federation token named x")
        #expect(f.fact("duration_seconds") == "129600")
        #expect(f.fact("session_policy") == "true")
        #expect(f.explanation.contains("36 h 0 min"))
        #expect(try Harness.findings(id, TestEvents.make("sts", "GetSessionToken")).isEmpty)
    }
}
