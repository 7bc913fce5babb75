import Detection
import Detectors
import EventModel
import TestSupport
import Testing

@Suite struct RolesAnywhereTests {
    let id = "persistence.roles_anywhere"

    @Test func createTrustAnchorCommonBehaviour() throws {
        try checkCommonBehaviour(id, severity: .high, key: "onprem-ca") { minute, error in
            TestEvents.make(
                "rolesanywhere", "CreateTrustAnchor",
                request: [
                    "name": "onprem-ca", "enabled": "true",
                    "source": #"{"sourceType":"CERTIFICATE_BUNDLE","sourceData":{"x509CertificateData":"-----BEGIN"}}"#,
                ], error: error, minute: minute)
        }
    }

    @Test func certificateBundleIsCalledOut() throws {
        let e = TestEvents.make(
            "rolesanywhere", "UpdateTrustAnchor",
            request: [
                "trustAnchorId": "ta-1", "source": #"{"sourceType":"CERTIFICATE_BUNDLE"}"#,
            ])
        let f = try #require(try Harness.findings(id, e).first)
        #expect(f.title == "ci-deployer changed IAM Roles Anywhere trust anchor ta-1")
        #expect(f.fact("source_type") == "CERTIFICATE_BUNDLE")
        #expect(f.explanation.contains("uploaded certificate bundle"))
    }

    @Test func profileListsRoles() throws {
        let e = TestEvents.make(
            "rolesanywhere", "CreateProfile",
            request: [
                "name": "p", "roleArns": #"["arn:aws:iam::111122223333:role/admin"]"#,
            ])
        let f = try #require(try Harness.findings(id, e).first)
        #expect(f.fact("role_arns") == "arn:aws:iam::111122223333:role/admin")
        #expect(f.explanation.contains("assume arn:aws:iam::111122223333:role/admin"))
        #expect(try Harness.findings(id, TestEvents.make("profile", "CreateProfile", request: ["name": "p"])).isEmpty)
    }
}
