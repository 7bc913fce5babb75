import Detection
import Detectors
import EventModel
import Testing

@Suite struct BedrockLoggingDeletedTests {
    let id = "evasion.bedrock_logging_deleted"

    @Test func commonBehaviour() throws {
        try checkCommonBehaviour(id, severity: .high, key: "model-invocation-logging:us-east-1") { minute, error in
            TestEvents.make("bedrock", "DeleteModelInvocationLoggingConfiguration", error: error, minute: minute)
        }
    }

    @Test func keyedByRegion() throws {
        let h = try Harness(id)
        let out = h.run(
            TestEvents.make("bedrock", "DeleteModelInvocationLoggingConfiguration", region: "us-east-1"),
            TestEvents.make("bedrock", "DeleteModelInvocationLoggingConfiguration", region: "eu-west-1"))
        #expect(out.map(\.key) == ["model-invocation-logging:us-east-1"], "one identity, one story: folded")
        let up = h.finish()
        #expect(up.first?.facts.contains(Fact("other_keys", "model-invocation-logging:eu-west-1")) == true)
        #expect(h.run(TestEvents.make("bedrock", "DeleteGuardrail")).isEmpty)
    }
}
