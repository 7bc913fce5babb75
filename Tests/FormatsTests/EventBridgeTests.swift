import EventModel
import TestSupport
import Testing

@testable import Formats

@Suite struct EventBridgeTests {
    static func envelope(detailType: String = "AWS API Call via CloudTrail", detail: String) -> String {
        #"{"version":"0","id":"6f3b1c2a-0000-4000-8000-000000000001","detail-type":"\#(detailType)","source":"aws.iam","account":"111122223333","time":"2024-03-01T12:00:05Z","region":"us-east-1","resources":[],"detail":\#(detail)}"#
    }

    @Test func apiCallEnvelopeDecodesDetail() throws {
        let e = try #require(event(Self.envelope(detail: CloudTrailRecord.record())))
        #expect(e.action.key == "iam:CreateUser")
        #expect(e.identity.key == "arn:aws:iam::111122223333:user/alice")
        #expect(e.time == 1_709_294_400_000)  // the record's own time wins
        #expect(e.eventId == "7f3c8b2e-1d4a-4c6b-8e9f-0a1b2c3d4e5f")
    }

    @Test func envelopeFillsMissingTimeAccountRegion() throws {
        let detail = CloudTrailRecord.record([
            "eventTime": nil, "recipientAccountId": nil, "awsRegion": nil, "userIdentity": nil,
        ])
        let e = try #require(event(Self.envelope(detail: detail)))
        #expect(e.time == 1_709_294_405_000)
        #expect(e.account == "111122223333")
        #expect(e.region == "us-east-1")
    }

    @Test func consoleSignInDetailType() throws {
        let detail = CloudTrailRecord.record([
            "eventSource": #""signin.amazonaws.com""#, "eventName": #""ConsoleLogin""#,
            "responseElements": #"{"ConsoleLogin":"Success"}"#,
            "additionalEventData":
                #"{"LoginTo":"https://console.aws.amazon.com/","MobileVersion":"No","MFAUsed":"No"}"#,
            "userAgent": #""Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/120.0 Safari/537.36""#,
        ])
        let e = try #require(event(Self.envelope(detailType: "AWS Console Sign In via CloudTrail", detail: detail)))
        #expect(e.action.key == "signin:ConsoleLogin")
        #expect(e.parameter("responseElements.ConsoleLogin") == "Success")
        #expect(e.parameter("additionalEventData.MFAUsed") == "No")
        #expect(e.userAgent.family == .browser)
    }

    @Test func otherDetailTypesAreSkipped() {
        let d = skipped(Self.envelope(detailType: "GuardDuty Finding", detail: #"{"severity":8}"#))
        #expect(d?.code == DecodeCode.unsupportedEvent)
    }

    @Test func brokenDetailFails() {
        #expect(failure(Self.envelope(detail: #"{"eventName":"X"}"#))?.code == DecodeCode.missingField)
    }
}
