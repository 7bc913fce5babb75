import EventModel
import Foundation
import TestSupport
import Testing

@testable import Formats

@Suite struct IdentityTests {
    @Test func iamUser() throws {
        let e = try #require(event([:]))
        let id = e.identity
        #expect(id.type == .iamUser)
        #expect(id.key == "arn:aws:iam::111122223333:user/alice")
        #expect(id.displayName == "alice")
        #expect(id.accessKeyId == "AKIAIOSFODNN7EXAMPLE")
        #expect(id.keyKind == .longLived)
        #expect(id.accountId == "111122223333")
        #expect(!id.mfa)
    }

    @Test func iamUserWithoutArn() throws {
        let named = #"{"type":"IAMUser","principalId":"AIDAEXAMPLE","accountId":"111122223333","userName":"anaya"}"#
        #expect(try #require(event(["userIdentity": named])).identity.key == "arn:aws:iam::111122223333:user/anaya")
        let bare = #"{"type":"IAMUser","principalId":"AIDAEXAMPLE","accountId":"111122223333"}"#
        #expect(try #require(event(["userIdentity": bare])).identity.key == "unknown:111122223333:AIDAEXAMPLE")
    }

    @Test func assumedRoleRollsUpToRoleArn() throws {
        let e = try #require(event(["userIdentity": CloudTrailRecord.assumedRole]))
        let id = e.identity
        #expect(id.type == .assumedRole)
        #expect(id.key == "arn:aws:iam::111122223333:role/ci/Deployer")
        #expect(id.arn == "arn:aws:sts::111122223333:assumed-role/Deployer/deploy-bot")
        #expect(id.sessionName == "deploy-bot")
        #expect(id.displayName == "Deployer")
        #expect(id.keyKind == .session)
        #expect(id.mfa)
        #expect(id.instanceId.isEmpty)
        #expect(!id.isInstanceProfile)
    }

    @Test func assumedRoleWithoutIssuerIsDerivedFromSessionArn() throws {
        let ui = #"""
            {"type":"AssumedRole","principalId":"AROAEXAMPLE:alice@example.com","arn":"arn:aws-us-gov:sts::222233334444:assumed-role/Admin/alice@example.com","accountId":"222233334444","accessKeyId":"ASIAEXAMPLE"}
            """#
        let id = try #require(event(["userIdentity": ui])).identity
        #expect(id.key == "arn:aws-us-gov:iam::222233334444:role/Admin")
        #expect(id.sessionName == "alice@example.com")
        #expect(id.displayName == "Admin")
    }

    @Test func instanceProfileSession() throws {
        let ui = #"""
            {"type":"AssumedRole","principalId":"AROAEXAMPLE:i-0a1b2c3d4e5f67890","arn":"arn:aws:sts::111122223333:assumed-role/web-server/i-0a1b2c3d4e5f67890","accountId":"111122223333","accessKeyId":"ASIAEXAMPLE","sessionContext":{"sessionIssuer":{"type":"Role","principalId":"AROAEXAMPLE","arn":"arn:aws:iam::111122223333:role/web-server","accountId":"111122223333","userName":"web-server"},"attributes":{"creationDate":"2024-03-01T06:00:00Z","mfaAuthenticated":"false"},"ec2RoleDelivery":"2.0"}}
            """#
        let id = try #require(event(["userIdentity": ui])).identity
        #expect(id.key == "arn:aws:iam::111122223333:role/web-server")
        #expect(id.instanceId == "i-0a1b2c3d4e5f67890")
        #expect(id.isInstanceProfile)
    }

    @Test func instanceSessionNameWithoutRoleDelivery() throws {
        let ui = #"""
            {"type":"AssumedRole","principalId":"AROAEXAMPLE:i-12345678","arn":"arn:aws:sts::111122223333:assumed-role/legacy/i-12345678","accountId":"111122223333"}
            """#
        let id = try #require(event(["userIdentity": ui])).identity
        #expect(id.instanceId == "i-12345678")
        #expect(!id.isInstanceProfile)
    }

    @Test func root() throws {
        let ui =
            #"{"type":"Root","principalId":"111122223333","arn":"arn:aws:iam::111122223333:root","accountId":"111122223333","accessKeyId":""}"#
        let id = try #require(event(["userIdentity": ui])).identity
        #expect(id.type == .root)
        #expect(id.key == "arn:aws:iam::111122223333:root")
        #expect(id.keyKind == .none)
        let noArn = try #require(event(["userIdentity": #"{"type":"Root","accountId":"999988887777"}"#])).identity
        #expect(noArn.key == "arn:aws:iam::999988887777:root")
    }

    @Test func awsService() throws {
        let ui = #"{"type":"AWSService","invokedBy":"cloudtrail.amazonaws.com"}"#
        let e = try #require(event(["userIdentity": ui, "sourceIPAddress": #""cloudtrail.amazonaws.com""#]))
        #expect(e.identity.type == .awsService)
        #expect(e.identity.key == "service:cloudtrail.amazonaws.com")
        #expect(e.identity.invokedBy == "cloudtrail.amazonaws.com")
        #expect(e.source.kind == .awsService)
    }

    @Test func awsAccount() throws {
        let ui = #"{"type":"AWSAccount","principalId":"AROAEXAMPLE:partner-sync","accountId":"444455556666"}"#
        let id = try #require(event(["userIdentity": ui])).identity
        #expect(id.type == .awsAccount)
        #expect(id.key == "account:444455556666")
        #expect(id.displayName == "AROAEXAMPLE:partner-sync")
    }

    @Test func webIdentityUser() throws {
        let ui = #"""
            {"type":"WebIdentityUser","principalId":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com:sts.amazonaws.com:repo:acme/app:ref:refs/heads/main","userName":"repo:acme/app:ref:refs/heads/main","identityProvider":"arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com"}
            """#
        let id = try #require(event(["userIdentity": ui])).identity
        #expect(id.type == .webIdentityUser)
        #expect(
            id.key
                == "web-identity:arn:aws:iam::111122223333:oidc-provider/token.actions.githubusercontent.com:repo:acme/app:ref:refs/heads/main"
        )
        let noName =
            #"{"type":"WebIdentityUser","principalId":"accounts.google.com:app.apps.googleusercontent.com:1234","identityProvider":"accounts.google.com"}"#
        #expect(
            try #require(event(["userIdentity": noName])).identity.key
                == "web-identity:accounts.google.com:accounts.google.com:app.apps.googleusercontent.com:1234")
    }

    @Test func samlUser() throws {
        let ui =
            #"{"type":"SAMLUser","principalId":"SAMPLEHASH:bob@example.com","userName":"bob@example.com","identityProvider":"arn:aws:iam::111122223333:saml-provider/Okta"}"#
        let id = try #require(event(["userIdentity": ui])).identity
        #expect(id.type == .samlUser)
        #expect(id.key == "saml:arn:aws:iam::111122223333:saml-provider/Okta:bob@example.com")
        #expect(id.displayName == "bob@example.com")
    }

    @Test func identityCenterUser() throws {
        let ui =
            #"{"type":"IdentityCenterUser","accountId":"111122223333","onBehalfOf":{"userId":"94482488-3041-7026-18f3-be45837cd0e4","identityStoreArn":"arn:aws:identitystore::111122223333:identitystore/d-9067230aa5"},"credentialId":"EXAMPLEVHULjJdTUdPJfofVa1sufHDoj7aYcOYcxFVllWR_Whr1fEXAMPLE"}"#
        let id = try #require(event(["userIdentity": ui])).identity
        #expect(id.type == .identityCenterUser)
        #expect(id.key == "identity-center:94482488-3041-7026-18f3-be45837cd0e4")
        let direct = #"{"type":"IdentityCenterUser","userId":"u-1","userName":"carol"}"#
        let d = try #require(event(["userIdentity": direct])).identity
        #expect(d.key == "identity-center:u-1")
        #expect(d.displayName == "carol")
    }

    @Test func federatedUser() throws {
        let ui =
            #"{"type":"FederatedUser","principalId":"111122223333:dave","arn":"arn:aws:sts::111122223333:federated-user/dave","accountId":"111122223333","accessKeyId":"ASIAEXAMPLE"}"#
        let id = try #require(event(["userIdentity": ui])).identity
        #expect(id.type == .federatedUser)
        #expect(id.key == "arn:aws:sts::111122223333:federated-user/dave")
        #expect(id.displayName == "dave")
        let noArn = #"{"type":"FederatedUser","principalId":"111122223333:erin"}"#
        #expect(
            try #require(event(["userIdentity": noArn])).identity.key == "arn:aws:sts::111122223333:federated-user/erin"
        )
    }

    @Test(arguments: [nil, "null", "{}"] as [String?])
    func missingIdentityGivesUnknownEvent(userIdentity: String?) throws {
        let e = try #require(event(["userIdentity": userIdentity] as [String: String?]))
        #expect(e.identity == Identity.unknown)
        #expect(e.identity.key.isEmpty)
        #expect(e.account == "111122223333")
    }

    @Test func unknownTypeKeepsWhatItCan() throws {
        let ui =
            #"{"type":"Unknown","principalId":"AIDAEXAMPLE","accountId":"111122223333","userName":"HIDDEN_DUE_TO_SECURITY_REASONS"}"#
        let id = try #require(event(["userIdentity": ui])).identity
        #expect(id.type == .unknown)
        #expect(id.key == "unknown:111122223333:HIDDEN_DUE_TO_SECURITY_REASONS")
    }

    @Test func mfaAsBooleanOrString() throws {
        for mfa in [#""true""#, "true", #""TRUE""#] {
            let ui = CloudTrailRecord.assumedRole.replacingOccurrences(
                of: #""mfaAuthenticated":"true""#, with: "\"mfaAuthenticated\":\(mfa)")
            #expect(try #require(event(["userIdentity": ui])).identity.mfa)
        }
        let off = CloudTrailRecord.assumedRole.replacingOccurrences(
            of: #""mfaAuthenticated":"true""#, with: #""mfaAuthenticated":"false""#)
        #expect(try #require(event(["userIdentity": off])).identity.mfa == false)
    }

    @Test func accountFallsBackToIdentityAccount() throws {
        let e = try #require(event(["recipientAccountId": nil]))
        #expect(e.account == "111122223333")
    }

    @Test func cachedIdentityIsReusedAcrossRecords() throws {
        var d = RecordDecoder()
        var keys: [String] = []
        for i in 0..<3 {
            let bytes = Array(CloudTrailRecord.record(["userIdentity": CloudTrailRecord.assumedRole]).utf8)
            if case .event(let e) = bytes.withUnsafeBytes({ d.decode($0, origin: Origin(path: "p", record: i)) }) {
                keys.append(e.identity.key)
            }
        }
        #expect(keys == Array(repeating: "arn:aws:iam::111122223333:role/ci/Deployer", count: 3))
    }
}
