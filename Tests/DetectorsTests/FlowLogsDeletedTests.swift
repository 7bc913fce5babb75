import Detection
import Detectors
import EventModel
import Testing

@Suite struct FlowLogsDeletedTests {
    let id = "evasion.flow_logs_deleted"

    @Test func commonBehaviour() throws {
        try checkCommonBehaviour(id, severity: .high, key: "fl-0ef673ef70c4f07cc") { minute, error in
            TestEvents.make(
                "ec2", "DeleteFlowLogs",
                request: ["DeleteFlowLogsRequest": #"{"FlowLogId":{"content":"fl-0ef673ef70c4f07cc","tag":1}}"#],
                error: error, minute: minute)
        }
    }

    @Test func severalIdsInAnyShapeAreSortedIntoTheKey() throws {
        let e = TestEvents.make(
            "ec2", "DeleteFlowLogs",
            request: [
                "DeleteFlowLogsRequest.FlowLogId":
                    #"[{"content":"fl-bbbbbbbb22222222","tag":1},{"content":"fl-aaaaaaaa11111111","tag":2}]"#
            ])
        let f = try #require(try Harness.findings(id, e).first)
        #expect(f.key == "fl-aaaaaaaa11111111,fl-bbbbbbbb22222222")
        #expect(f.title == "ci-deployer deleted VPC flow logs fl-aaaaaaaa11111111 and fl-bbbbbbbb22222222")
        #expect(f.fact("flow_log_count") == "2")
    }

    @Test func noIdsStillFires() throws {
        let f = try #require(try Harness.findings(id, TestEvents.make("ec2", "DeleteFlowLogs")).first)
        #expect(f.key == "unknown")
        #expect(f.title == "ci-deployer deleted VPC flow logs")
    }

    @Test func otherOperationsAndServicesAreIgnored() throws {
        #expect(try Harness.findings(id, TestEvents.make("ec2", "CreateFlowLogs")).isEmpty)
        #expect(try Harness.findings(id, TestEvents.make("logs", "DeleteFlowLogs")).isEmpty)
    }
}
