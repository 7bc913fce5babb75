import Detection
import Detectors
import EventModel
import Testing

@Suite struct LeaveOrganizationTests {
    let id = "evasion.leave_organization"

    @Test func commonBehaviour() throws {
        try checkCommonBehaviour(id, severity: .high, key: TestEvents.account) { minute, error in
            TestEvents.make("organizations", "LeaveOrganization", error: error, minute: minute)
        }
    }

    @Test func titleAndMitre() throws {
        let f = try #require(try Harness.findings(id, TestEvents.make("organizations", "LeaveOrganization")).first)
        #expect(f.title == "ci-deployer took account 111122223333 out of its AWS Organization")
        #expect(f.mitre == ["T1666", "T1562"])
        #expect(try Harness.findings(id, TestEvents.make("organizations", "DescribeAccount")).isEmpty)
    }
}
