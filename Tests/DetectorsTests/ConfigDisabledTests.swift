import Detection
import Detectors
import EventModel
import Testing

@Suite struct ConfigDisabledTests {
    let id = "evasion.config_disabled"

    @Test func stopRecorderCommonBehaviour() throws {
        try checkCommonBehaviour(id, severity: .critical, key: "default") { minute, error in
            TestEvents.make(
                "config", "StopConfigurationRecorder", request: ["configurationRecorderName": "default"],
                error: error, minute: minute)
        }
    }

    @Test func deletions() throws {
        let r = try #require(
            try Harness.findings(
                id,
                TestEvents.make(
                    "config", "DeleteConfigurationRecorder", request: ["configurationRecorderName": "rec"])
            ).first)
        #expect(r.title == "ci-deployer deleted AWS Config recorder rec")
        let c = try #require(
            try Harness.findings(
                id,
                TestEvents.make(
                    "config", "DeleteDeliveryChannel", request: ["deliveryChannelName": "chan"])
            ).first)
        #expect(c.title == "ci-deployer deleted AWS Config delivery channel chan")
        #expect(c.key == "chan")
        #expect(c.mitre == ["T1562.001"])
    }

    @Test func deliveryChannelFallsBackToRecorderName() throws {
        let f = try #require(
            try Harness.findings(
                id,
                TestEvents.make(
                    "config", "DeleteDeliveryChannel", request: ["configurationRecorderName": "default"])
            ).first)
        #expect(f.key == "default")
    }

    @Test func putDeliveryChannelIsNotAFinding() throws {
        #expect(try Harness.findings(id, TestEvents.make("config", "PutDeliveryChannel")).isEmpty)
    }
}
