import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite struct GuardDutyDisabledTests {
    let id = "evasion.guardduty_disabled"
    let detector = "12abc34d567e8fa901bc2d34e56789f0"

    func run(_ op: String, _ request: [String: String]) throws -> [Finding] {
        try Harness.findings(id, TestEvents.make("guardduty", op, request: request))
    }

    @Test func deleteDetectorCommonBehaviour() throws {
        try checkCommonBehaviour(id, severity: .critical, key: detector) { minute, error in
            TestEvents.make(
                "guardduty", "DeleteDetector", request: ["detectorId": detector], error: error, minute: minute)
        }
    }

    @Test func updateDetectorDisabling() throws {
        for value in ["false", "\"false\""] {
            let f = try #require(try run("UpdateDetector", ["detectorId": detector, "enable": value]).first)
            #expect(f.severity == .critical)
            #expect(f.title == "ci-deployer disabled GuardDuty detector \(detector)")
            #expect(f.fact("change") == "detector_disabled")
        }
        #expect(try run("UpdateDetector", ["detectorId": detector, "enable": "true"]).isEmpty)
        #expect(try run("UpdateDetector", ["detectorId": detector, "findingPublishingFrequency": "SIX_HOURS"]).isEmpty)
    }

    @Test func protectionPlansDisabledAreMedium() throws {
        let features = #"[{"name":"S3_DATA_EVENTS","status":"DISABLED"},{"name":"EKS_AUDIT_LOGS","status":"ENABLED"}]"#
        let f = try #require(try run("UpdateDetector", ["detectorId": detector, "features": features]).first)
        #expect(f.severity == .medium)
        #expect(f.fact("features") == "S3_DATA_EVENTS")
        let sources = #"{"s3Logs":{"enable":false},"kubernetes":{"auditLogs":{"enable":false}}}"#
        let g = try #require(try run("UpdateDetector", ["detectorId": detector, "dataSources": sources]).first)
        #expect(g.fact("features") == "dataSources.kubernetes.auditLogs,dataSources.s3Logs")
    }

    @Test func disassociationAndPublishingDestination() throws {
        for op in ["DisassociateFromMasterAccount", "DisassociateFromAdministratorAccount"] {
            let f = try #require(try run(op, ["detectorId": detector]).first)
            #expect(f.severity == .critical)
            #expect(f.title.contains("from its administrator account"))
        }
        let f = try #require(
            try run("DeletePublishingDestination", ["detectorId": detector, "destinationId": "d-1"]).first)
        #expect(f.fact("destination_id") == "d-1")
    }

    @Test func trustedIPListsAreMediumAndKeyedByName() throws {
        let f = try #require(
            try run(
                "CreateIPSet",
                [
                    "detectorId": detector, "name": "office", "format": "TXT",
                    "location": "https://s3.amazonaws.com/attacker/ips.txt", "activate": "true",
                ]
            ).first)
        #expect(f.severity == .medium)
        #expect(f.key == "office")
        #expect(f.title == "ci-deployer created GuardDuty trusted IP list office on detector \(detector)")
        #expect(f.fact("location") == "https://s3.amazonaws.com/attacker/ips.txt")
        let u = try #require(try run("UpdateIPSet", ["detectorId": detector, "ipSetId": "abc"]).first)
        #expect(u.key == "abc")
    }

    @Test func otherServicesAreIgnored() throws {
        #expect(try Harness.findings(id, TestEvents.make("wafv2", "CreateIPSet", request: ["name": "x"])).isEmpty)
        #expect(
            try Harness.findings(id, TestEvents.make("frauddetector", "DeleteDetector", request: ["detectorId": "x"]))
                .isEmpty)
    }
}
