import EventModel
import Foundation
import TestSupport
import Testing

@testable import Formats

@Suite struct GCPFormatTests {
    @Test func secretAccessWithServiceAccountKey() throws {
        let e = try #require(event(GCPRecord.entry()))
        #expect(e.provider == .gcp)
        #expect(e.time == Timestamp.parse("2026-03-01T10:00:00.123Z"))
        #expect(e.identity.key == "gcp:app@shop-prod.iam.gserviceaccount.com")
        #expect(e.identity.type == .serviceAccount)
        #expect(e.identity.accessKeyId == "0a1b2c3d")
        #expect(e.identity.keyKind == .longLived)
        #expect(e.account == "shop-prod")
        #expect(e.action.service == "secretmanager")
        #expect(e.action.operation == "google.cloud.secretmanager.v1.SecretManagerService.AccessSecretVersion")
        #expect(e.action.isReadOnly)
        #expect(e.action.category == .data)
        #expect(e.source.ips == ["203.0.113.50"])
        #expect(e.eventId == "1a2b3c4d")
        #expect(e.resources == [Resource(kind: .secret, id: "projects/shop-prod/secrets/db-pass")])
        #expect(e.parameter("protoPayload.authorizationInfo.permission") == "secretmanager.versions.access")
        #expect(e.outcome.isSuccess)
    }

    @Test func permissionDeniedCountsAsAccessDenied() throws {
        let e = try #require(
            event(
                GCPRecord.entry(status: #"{"code":7,"message":"Permission 'secretmanager.versions.access' denied"}"#)))
        #expect(e.outcome.errorCode == "Forbidden.PERMISSION_DENIED")
        #expect(e.outcome.isAccessDenied)
        #expect(e.outcome.errorMessage.hasPrefix("Permission"))
        let unauth = try #require(event(GCPRecord.entry(status: #"{"code":16}"#)))
        #expect(unauth.outcome.isAccessDenied)
        let notFound = try #require(event(GCPRecord.entry(status: #"{"code":5}"#)))
        #expect(notFound.outcome.errorCode == "NOT_FOUND" && !notFound.outcome.isAccessDenied)
    }

    @Test func delegationChainKeepsTheImpersonator() throws {
        let auth =
            #"{"principalEmail":"deployer@shop-prod.iam.gserviceaccount.com","serviceAccountDelegationInfo":[{"firstPartyPrincipal":{"principalEmail":"mallory@example.com"}},{"firstPartyPrincipal":{"principalEmail":"hop@shop-prod.iam.gserviceaccount.com"}}]}"#
        let e = try #require(event(GCPRecord.entry(auth: auth)))
        #expect(e.identity.key == "gcp:deployer@shop-prod.iam.gserviceaccount.com")
        #expect(e.parameter("impersonator.principalEmail") == "mallory@example.com")
        #expect(e.parameter("authenticationInfo.serviceAccountDelegationInfo")?.contains("hop@") == true)
    }

    @Test func usersAnonymousAndSubjects() throws {
        let user = try #require(event(GCPRecord.entry(auth: #"{"principalEmail":"alice@example.com"}"#)))
        #expect(user.identity.type == .user && user.identity.keyKind == .none)
        let anon = try #require(event(GCPRecord.entry(auth: "{}")))
        #expect(anon.identity.key == "gcp:anonymous" && anon.identity.type == .anonymous)
        let subject = try #require(
            event(
                GCPRecord.entry(
                    auth:
                        #"{"principalSubject":"principal://iam.googleapis.com/locations/global/workforcePools/p/subject/x"}"#
                )))
        #expect(subject.identity.key.hasPrefix("gcp:principal://"))
    }

    @Test func serviceAccountKeyCreation() throws {
        let e = try #require(
            event(
                GCPRecord.entry(
                    method: "google.iam.admin.v1.CreateServiceAccountKey", service: "iam.googleapis.com",
                    resource: "projects/-/serviceAccounts/112233445566778899", log: "activity",
                    extra:
                        #","request":{"@type":"type.googleapis.com/google.iam.admin.v1.CreateServiceAccountKeyRequest","name":"projects/-/serviceAccounts/112233445566778899"},"response":{"@type":"type.googleapis.com/google.iam.admin.v1.ServiceAccountKey","name":"projects/shop-prod/serviceAccounts/app@shop-prod.iam.gserviceaccount.com/keys/feedbeef"}"#
                )))
        #expect(e.action.service == "iam")
        #expect(e.action.operation == "google.iam.admin.v1.CreateServiceAccountKey")
        #expect(!e.action.isReadOnly)
        #expect(e.action.category == .management)
        #expect(
            e.resources.contains(Resource(kind: .serviceAccount, id: "projects/-/serviceAccounts/112233445566778899")))
        #expect(e.resources.contains { $0.kind == .accessKey && $0.id.hasSuffix("/keys/feedbeef") })
        #expect(e.parameter("protoPayload.request")?.contains("CreateServiceAccountKeyRequest") == true)
    }

    @Test func accountAndRegionFallbacks() throws {
        var text = GCPRecord.entry().replacingOccurrences(
            of: #""project_id":"shop-prod","#, with: #""location":"us-east1","#)
        text = text.replacingOccurrences(of: "projects/shop-prod/logs", with: "organizations/4242/logs")
        let e = try #require(event(text))
        #expect(e.account == "organizations/4242")
        #expect(e.region == "us-east1")
    }

    @Test func otherPayloadsAreSkippedAndTimeIsRequired() throws {
        let other =
            #"{"insertId":"x","protoPayload":{"@type":"type.googleapis.com/google.appengine.logging.v1.RequestLog"},"timestamp":"2026-03-01T10:00:00Z"}"#
        #expect(skipped(other)?.code == DecodeCode.unsupportedEvent)
        let noTime = GCPRecord.entry().replacingOccurrences(
            of: #""timestamp":"2026-03-01T10:00:00.123456789Z","receiveTimestamp":"2026-03-01T10:00:01.2Z""#,
            with: #""x":1"#)
        #expect(failure(noTime)?.code == DecodeCode.missingField)
    }
}
