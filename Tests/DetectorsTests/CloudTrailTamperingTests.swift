import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite struct CloudTrailTamperingTests {
    let id = "evasion.cloudtrail_tampering"

    func run(_ op: String, _ request: [String: String], edit: @escaping (String) -> String = { $0 }) throws -> [Finding]
    {
        let h = try Harness(id, edit: edit)
        #expect(h.issues.isEmpty, "\(h.issues)")
        return h.run(TestEvents.make("cloudtrail", op, request: request))
    }

    @Test func stopLoggingCommonBehaviour() throws {
        try checkCommonBehaviour(id, severity: .critical, key: "org-trail") { minute, error in
            TestEvents.make("cloudtrail", "StopLogging", request: ["name": "org-trail"], error: error, minute: minute)
        }
    }

    @Test func stopLoggingNamesTrailIdentityAndSource() throws {
        let arn = "arn:aws:cloudtrail:us-east-1:111122223333:trail/org-trail"
        let f = try #require(try run("StopLogging", ["name": arn]).first)
        #expect(f.title == "ci-deployer stopped CloudTrail logging on trail \(arn)")
        #expect(f.key == arn)
        #expect(f.explanation.contains("Role ci-deployer"))
        #expect(f.explanation.contains("session i-0abc123"))
        #expect(f.explanation.contains("from source IP 203.0.113.7 using aws-cli"))
        #expect(f.explanation.contains("StartLogging"))
        #expect(f.mitre == ["T1562.008"])
    }

    @Test func deleteTrailIsCritical() throws {
        let f = try #require(try run("DeleteTrail", ["name": "org-trail"]).first)
        #expect(f.severity == .critical)
        #expect(f.title == "ci-deployer deleted trail org-trail")
    }

    @Test func trailFromResourcesWhenNoName() throws {
        let h = try Harness(id)
        let e = TestEvents.make("cloudtrail", "StopLogging", resources: [Resource(kind: .trail, id: "arn:trail/x")])
        #expect(h.run(e).first?.key == "arn:trail/x")
    }

    @Test func otherServiceWithSameOperationIsIgnored() throws {
        let h = try Harness(id)
        #expect(h.run(TestEvents.make("logs", "StopLogging", request: ["name": "x"])).isEmpty)
    }

    @Test func updateTrailSingleRegionIsNarrowing() throws {
        let f = try #require(
            try run("UpdateTrail", ["name": "management-events", "isMultiRegionTrail": "false"]).first)
        #expect(f.severity == .high)
        #expect(f.title == "ci-deployer narrowed CloudTrail logging on trail management-events")
        #expect(f.explanation.contains("single-region"))
        #expect(f.fact("change") == "multi_region_off")
    }

    @Test func updateTrailQuotedFalseAndSeveralChanges() throws {
        let f = try #require(
            try run(
                "UpdateTrail",
                [
                    "name": "t", "includeGlobalServiceEvents": "\"false\"", "enableLogFileValidation": "false",
                    "cloudWatchLogsLogGroupArn": "\"\"",
                ]
            ).first)
        #expect(f.fact("change") == "global_events_off,log_validation_off,cloudwatch_delivery_removed")
        #expect(f.explanation.contains("integrity validation"))
    }

    @Test func updateTrailBucketChangeIsConfigurable() throws {
        let req = ["name": "t", "s3BucketName": "attacker-bucket"]
        let f = try #require(try run("UpdateTrail", req).first)
        #expect(f.fact("s3_bucket") == "attacker-bucket")
        #expect(f.explanation.contains("attacker-bucket"))
        #expect(try run("UpdateTrail", req, edit: withSetting("flag_bucket_change", "false")).isEmpty)
    }

    @Test func benignUpdateTrailIsNotAFinding() throws {
        #expect(try run("UpdateTrail", ["name": "t", "isMultiRegionTrail": "true", "kmsKeyId": "k"]).isEmpty)
        #expect(try run("UpdateTrail", ["name": "t"]).isEmpty)
    }

    @Test func selectorsWithoutManagementEventsAreCritical() throws {
        let sel =
            #"[{"dataResources":[{"type":"AWS::S3::Object","values":[]}],"excludeManagementEventSources":[],"includeManagementEvents":false,"readWriteType":"ReadOnly"}]"#
        let f = try #require(
            try run("PutEventSelectors", ["trailName": "sample-cloudtrail-name", "eventSelectors": sel]).first)
        #expect(f.severity == .critical)
        #expect(f.key == "sample-cloudtrail-name")
        #expect(f.title.contains("dropped management write events from CloudTrail logging"))
        #expect(f.explanation.contains("no management events are logged"))
    }

    @Test func readOnlySelectorDropsWrites() throws {
        let sel = #"[{"includeManagementEvents":true,"readWriteType":"ReadOnly"}]"#
        let f = try #require(try run("PutEventSelectors", ["trailName": "t", "eventSelectors": sel]).first)
        #expect(f.severity == .critical)
        #expect(f.explanation.contains("only read-only management events"))
    }

    @Test func writeOnlyOrExcludedSourcesAreNarrowing() throws {
        let writeOnly = #"[{"includeManagementEvents":true,"readWriteType":"WriteOnly"}]"#
        #expect(try run("PutEventSelectors", ["trailName": "t", "eventSelectors": writeOnly]).first?.severity == .high)
        let excluded =
            #"[{"includeManagementEvents":true,"readWriteType":"All","excludeManagementEventSources":["kms.amazonaws.com"]}]"#
        let f = try #require(try run("PutEventSelectors", ["trailName": "t", "eventSelectors": excluded]).first)
        #expect(f.severity == .high)
        #expect(f.explanation.contains("kms.amazonaws.com"))
    }

    @Test func fullManagementSelectorsAreNotFindings() throws {
        let full =
            #"[{"dataResources":[],"excludeManagementEventSources":[],"includeManagementEvents":true,"readWriteType":"All"}]"#
        #expect(try run("PutEventSelectors", ["trailName": "t", "eventSelectors": full]).isEmpty)
        let split = #"[{"readWriteType":"ReadOnly"},{"readWriteType":"WriteOnly"}]"#
        #expect(try run("PutEventSelectors", ["trailName": "t", "eventSelectors": split]).isEmpty)
        #expect(try run("PutEventSelectors", ["trailName": "t", "eventSelectors": "not json"]).isEmpty)
    }

    @Test func advancedSelectors() throws {
        let dataOnly =
            #"[{"name":"s3","fieldSelectors":[{"field":"eventCategory","equals":["Data"]},{"field":"resources.type","equals":["AWS::S3::Object"]}]}]"#
        #expect(
            try run("PutEventSelectors", ["trailName": "t", "advancedEventSelectors": dataOnly]).first?.severity
                == .critical)
        let writesOnly =
            #"[{"name":"m","fieldSelectors":[{"field":"eventCategory","equals":["Management"]},{"field":"readOnly","equals":["false"]}]}]"#
        #expect(
            try run("PutEventSelectors", ["trailName": "t", "advancedEventSelectors": writesOnly]).first?.severity
                == .high)
        let filtered =
            #"[{"name":"m","fieldSelectors":[{"field":"eventCategory","equals":["Management"]},{"field":"eventSource","notEquals":["kms.amazonaws.com"]}]}]"#
        let f = try #require(
            try run("PutEventSelectors", ["trailName": "t", "advancedEventSelectors": filtered]).first)
        #expect(f.severity == .high)
        #expect(f.explanation.contains("selector m filters management events on eventSource"))
        let full = #"[{"name":"m","fieldSelectors":[{"field":"eventCategory","equals":["Management"]}]}]"#
        #expect(try run("PutEventSelectors", ["trailName": "t", "advancedEventSelectors": full]).isEmpty)
    }

    @Test func insightsTurnedOff() throws {
        let f = try #require(try run("PutInsightSelectors", ["trailName": "t", "insightSelectors": "[]"]).first)
        #expect(f.severity == .high)
        #expect(f.fact("change") == "insights_off")
        #expect(
            try run(
                "PutInsightSelectors",
                ["trailName": "t", "insightSelectors": #"[{"insightType":"ApiCallRateInsight"}]"#]
            ).isEmpty)
        #expect(
            try run(
                "PutInsightSelectors", ["trailName": "t", "insightSelectors": "[]"],
                edit: withSetting("flag_insights_disabled", "false")
            ).isEmpty)
    }

    @Test func narrowingSeverityIsConfigurableAndCapped() throws {
        let req = ["name": "t", "isMultiRegionTrail": "false"]
        #expect(
            try run("UpdateTrail", req, edit: withSetting("narrowing_severity", "medium")).first?.severity == .medium)
        let capped: (String) -> String = {
            withSetting("narrowing_severity", "critical")($0)
                .replacingOccurrences(of: "severity: critical ", with: "severity: medium ")
        }
        #expect(try run("UpdateTrail", req, edit: capped).first?.severity == .medium)
    }

    @Test func badSettingIsReported() throws {
        let h = try Harness(id, edit: withSetting("narrowing_severity", "severe"))
        #expect(h.issues.map(\.code) == ["config.value"])
        #expect(h.issues.first?.line ?? 0 > 0)
    }
}
