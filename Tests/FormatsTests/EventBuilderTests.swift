import EventModel
import TestSupport
import Testing

@testable import Formats

@Suite struct EventBuilderTests {
    @Test func buildsIamUserEvent() {
        let e = EventBuilder.aws(
            "iam:CreateUser", identity: "arn:aws:iam::111122223333:user/alice",
            time: EventBuilder.time("2024-05-01T10:00:00Z"), ip: "203.0.113.9", parameters: ["userName": "mallory"])
        #expect(e.action.key == "iam:CreateUser")
        #expect(e.identity.key == "arn:aws:iam::111122223333:user/alice")
        #expect(e.identity.keyKind == .longLived)
        #expect(e.time == 1_714_557_600_000)
        #expect(e.source.ips == ["203.0.113.9"])
        #expect(e.resources == [Resource(kind: .user, id: "mallory")])
        #expect(e.userAgent.family == .awsCLI)
        #expect(!e.eventId.isEmpty)
    }

    @Test func buildsRoleSessionsServiceAndRoot() {
        let s = EventBuilder.aws(
            "s3:GetObject", identity: "arn:aws:sts::111122223333:assumed-role/App/i-0123456789abcdef0")
        #expect(s.identity.key == "arn:aws:iam::111122223333:role/App")
        #expect(s.identity.instanceId == "i-0123456789abcdef0")
        let r = EventBuilder.aws("ec2:DescribeInstances", identity: "arn:aws:iam::111122223333:role/ops/Admin")
        #expect(r.identity.key == "arn:aws:iam::111122223333:role/ops/Admin")
        #expect(r.identity.sessionName == "session")
        #expect(
            EventBuilder.aws("kms:Decrypt", identity: "service:lambda.amazonaws.com").identity.key
                == "service:lambda.amazonaws.com")
        #expect(EventBuilder.aws("iam:ListUsers", identity: "arn:aws:iam::111122223333:root").identity.type == .root)
        #expect(EventBuilder.aws("iam:ListUsers", identity: "").identity.key.isEmpty)
    }

    @Test func errorsAndStableIds() {
        let a = EventBuilder.aws("iam:ListUsers", errorCode: "AccessDenied")
        #expect(a.outcome.isAccessDenied)
        #expect(a.eventId == EventBuilder.aws("iam:ListUsers", errorCode: "AccessDenied").eventId)
        #expect(a.eventId != EventBuilder.aws("iam:ListUsers", time: EventBuilder.defaultTime + 1).eventId)
    }
}
