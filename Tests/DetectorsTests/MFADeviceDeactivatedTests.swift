import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite struct MFADeviceDeactivatedTests {
    let id = "evasion.mfa_device_deactivated"

    @Test func commonBehaviour() throws {
        try checkCommonBehaviour(id, severity: .high, key: "alice") { minute, error in
            TestEvents.make(
                "iam", "DeactivateMFADevice",
                request: ["userName": "alice", "serialNumber": "arn:aws:iam::111122223333:mfa/alice"],
                error: error, minute: minute)
        }
    }

    @Test func anotherUsersDeviceIsHigh() throws {
        let f = try #require(
            try Harness.findings(
                id,
                TestEvents.make(
                    "iam", "DeactivateMFADevice", request: ["userName": "bob", "serialNumber": "GAHT12345678"])
            ).first)
        #expect(f.severity == .high)
        #expect(f.title == "ci-deployer deactivated the MFA device of IAM user bob")
        #expect(f.fact("own_user") == "false")
        #expect(f.fact("serial_number") == "GAHT12345678")
        #expect(f.mitre == ["T1556.006"])
    }

    @Test func deletedVirtualDeviceNamesTheUserFromItsSerial() throws {
        let e = TestEvents.make(
            "iam", "DeleteVirtualMFADevice", request: ["serialNumber": "arn:aws:iam::111122223333:mfa/ops/carol"])
        let f = try #require(try Harness.findings(id, e).first)
        #expect(f.title == "ci-deployer deleted the MFA device of IAM user carol")
        #expect(f.key == "carol")
    }

    @Test func ownDeviceIsMediumAndConfigurable() throws {
        let bob = TestEvents.user("bob")
        let own = TestEvents.make("iam", "DeactivateMFADevice", by: bob, request: ["userName": "bob"])
        let f = try #require(try Harness.findings(id, own).first)
        #expect(f.severity == .medium)
        #expect(f.fact("own_user") == "true")
        let h = try Harness(id, edit: withSetting("own_user_severity", "low"))
        #expect(h.run(own).first?.severity == .low)
    }

    @Test func rootAndOtherCallsAreQuiet() throws {
        let root = TestEvents.make("iam", "DeactivateMFADevice", by: TestEvents.root(), request: ["userName": "alice"])
        #expect(try Harness.findings(id, root).isEmpty)
        #expect(try Harness.findings(id, TestEvents.make("iam", "EnableMFADevice", request: ["userName": "a"])).isEmpty)
        #expect(try Harness.findings(id, TestEvents.make("iam", "ListMFADevices")).isEmpty)
    }
}
