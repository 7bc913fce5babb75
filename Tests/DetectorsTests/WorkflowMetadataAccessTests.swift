import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite struct WorkflowMetadataAccessTests {
    let id = "workflow.metadata_access"

    @Test func toolCallToIMDSIsHigh() throws {
        let e = SourceEvents.workflow([
            "action": "tool_call", "tool_name": "fetch_url", "tool_kind": "network", "flow_id": "support-bot",
            "target_host": "169.254.169.254",
            "tool_input": #"{"url":"http://169.254.169.254/latest/meta-data/iam/security-credentials/"}"#,
            "authenticated": "false",
        ])
        let f = try #require(try Harness.findings(id, e).first)
        #expect(f.severity == .high)
        #expect(f.key == "169.254.169.254")
        #expect(f.fact("field") == "target_host")
        #expect(f.fact("flow_id") == "support-bot")
        #expect(f.title.contains("fetch_url"))
        #expect(f.explanation.contains("security-credentials"))
        #expect(f.mitre.contains("T1552.005"))
    }

    @Test func findsHostsInPathsParametersAndObfuscatedSpellings() throws {
        let cases: [([String: String], String)] = [
            (["path": "/proxy?url=http://metadata.google.internal/computeMetadata/v1/"], "metadata.google.internal"),
            (["tool_input": "curl http://2852039166/latest/api/token"], "2852039166"),
            (["tool_input": "GET http://[FD00:EC2::254]/latest/"], "fd00:ec2::254"),
            (["tool_input": "wget 169.254.170.2$AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"], "169.254.170.2"),
            (["tool_input": "http://0xA9FEA9FE/"], "0xa9fea9fe"),
        ]
        for (fields, host) in cases {
            let f = try Harness.findings(id, SourceEvents.workflow(fields))
            #expect(f.first?.fact("metadata_host") == host, "\(fields)")
        }
    }

    @Test func lookalikesAndOtherProvidersAreIgnored() throws {
        for v in ["169.254.169.2541", "10.169.254.169.254x", "metadata.google.internalx", "28520391660"] {
            #expect(try Harness.findings(id, SourceEvents.workflow(["tool_input": v])).isEmpty, "\(v)")
        }
        // Other fields (names, user agents) are not searched.
        #expect(try Harness.findings(id, SourceEvents.workflow(["tool_name": "169.254.169.254"])).isEmpty)
        var aws = TestEvents.make("ec2", "RunInstances")
        aws.parameters["requestParameters.userData"] = "curl 169.254.169.254"
        #expect(try Harness.findings(id, aws).isEmpty)
    }

    @Test func failedFetchIsLowAndAllowListByFlow() throws {
        let e = SourceEvents.workflow(["target_host": "169.254.169.254", "flow_id": "inventory", "status": "403"])
        #expect(try Harness.findings(id, e).first?.severity == .low)
        let h = try Harness(
            id, edit: withAllowlist("  - resource: \"flow:inventory\"", "    reason: reads its own instance id"))
        #expect(h.run(SourceEvents.workflow(["target_host": "169.254.169.254", "flow_id": "inventory"])).isEmpty)
    }
}
