import EventModel
import TestSupport
import Testing

@testable import Formats

@Suite struct RecordTests {
    @Test func fullRecordMapsEveryField() throws {
        let e = try #require(event([:]))
        #expect(e.time == 1_709_294_400_000)
        #expect(e.provider == .aws)
        #expect(e.eventSource == "iam.amazonaws.com")
        #expect(e.account == "111122223333")
        #expect(e.region == "us-east-1")
        #expect(e.action == Action(service: "iam", operation: "CreateUser", readOnly: false, category: .management))
        #expect(e.source == Source(kind: .ip, raw: "198.51.100.7", ips: ["198.51.100.7"]))
        #expect(e.userAgent.family == .awsCLI)
        #expect(e.userAgent.version == "2.15.3")
        #expect(e.outcome.isSuccess)
        #expect(e.eventId == "7f3c8b2e-1d4a-4c6b-8e9f-0a1b2c3d4e5f")
        #expect(e.origin == Origin(path: "test.json", record: 1))
        #expect(e.parameter("requestParameters.userName") == "mallory")
        #expect(e.resources == [Resource(kind: .user, id: "mallory")])
    }

    @Test(arguments: [
        ("2024-01-01T00:00:00Z", Int64(1_704_067_200_000)),
        ("2024-01-01T00:00:00.123Z", 1_704_067_200_123),
        ("2024-01-01T00:00:00.123456789Z", 1_704_067_200_123),
        ("2024-01-01T02:00:00+02:00", 1_704_067_200_000),
        ("2023-12-31T19:00:00-05:00", 1_704_067_200_000),
        ("2024-01-01 00:00:00Z", 1_704_067_200_000),
    ])
    func timeVariants(text: String, ms: Int64) throws {
        #expect(try #require(event(["eventTime": "\"\(text)\""])).time == ms)
    }

    @Test(arguments: [
        #""yesterday""#, #""2024-13-01T00:00:00Z""#, #""2024-01-01T25:00:00Z""#, "1704067200", #""""#, "{}",
    ])
    func badTimesFail(value: String) {
        #expect(failure(CloudTrailRecord.record(["eventTime": value]))?.code == DecodeCode.badTime)
    }

    @Test(arguments: [nil, "null"] as [String?])
    func missingTimeFails(value: String?) {
        let d = failure(CloudTrailRecord.record(["eventTime": value]))
        #expect(d?.code == DecodeCode.missingField)
        #expect(d?.message.contains("eventTime") == true)
        #expect(d?.origin == Origin(path: "test.json", record: 1))
    }

    @Test func missingEventSourceFails() {
        let d = failure(CloudTrailRecord.record(["eventSource": nil]))
        #expect(d?.code == DecodeCode.missingField)
        #expect(d?.message.contains("eventSource") == true)
    }

    @Test func booleansAndNumbersAsStrings() throws {
        let e = try #require(event(["readOnly": #""true""#, "managementEvent": #""false""#, "eventCategory": nil]))
        #expect(e.action.readOnly == true)
        #expect(e.action.category == .data)
        let n = try #require(
            event([
                "recipientAccountId": "111122223333",
                "requestParameters": #"{"maxItems":"100","limit":100,"dryRun":true}"#,
            ]))
        #expect(n.account == "111122223333")
        #expect(n.parameter("requestParameters.maxItems") == "100")
        #expect(n.parameter("requestParameters.limit") == "100")
        #expect(n.parameter("requestParameters.dryRun") == "true")
    }

    @Test(arguments: [
        ("Data", EventCategory.data), ("Insight", .insight), ("NetworkActivity", .networkActivity),
        ("Management", .management),
    ])
    func categories(text: String, category: EventCategory) throws {
        #expect(try #require(event(["eventCategory": "\"\(text)\""])).action.category == category)
    }

    @Test func nullsEverywhere() throws {
        let e = try #require(
            event([
                "requestParameters": "null", "responseElements": "null", "userAgent": "null", "sourceIPAddress": "null",
                "awsRegion": "null", "readOnly": "null", "errorCode": "null", "eventCategory": "null",
            ]))
        #expect(e.parameters.isEmpty)
        #expect(e.resources.isEmpty)
        #expect(e.userAgent == .empty)
        #expect(e.source == .unknown)
        #expect(e.region == "")
        #expect(e.action.readOnly == nil)
        #expect(e.outcome.isSuccess)
    }

    @Test func errorsAreKeptAndBounded() throws {
        let long = String(repeating: "denied ", count: 200)
        let e = try #require(event(["errorCode": #""AccessDenied""#, "errorMessage": "\"\(long)\""]))
        #expect(e.outcome.errorCode == "AccessDenied")
        #expect(e.outcome.isAccessDenied)
        #expect(e.outcome.errorMessage.utf8.count == 256)
    }

    @Test func missingEventIdIsSynthesizedFromOrigin() throws {
        let (r, _) = decode(
            bytes: Array(CloudTrailRecord.record(["eventID": nil]).utf8), path: "logs/a.json.gz", record: 42)
        guard case .event(let e) = r else { Issue.record("no event"); return }
        #expect(e.eventId == "logs/a.json.gz#42")
    }

    @Test func escapesAndSurrogatePairsInStrings() throws {
        let e = try #require(
            event([
                "requestParameters":
                    #"{"userName":"b\u00f6b \ud83d\ude80","description":"line1\nline2 \"quoted\" \\ \/"}"#
            ]))
        #expect(e.parameter("requestParameters.userName") == "böb 🚀")
        #expect(e.parameter("requestParameters.description") == "line1\nline2 \"quoted\" \\ /")
        #expect(e.resources == [Resource(kind: .user, id: "böb 🚀")])
    }

    @Test func invalidUTF8IsReplacedWithWarning() throws {
        var bytes = Array(CloudTrailRecord.record(["requestParameters": #"{"userName":"XbadX"}"#]).utf8)
        let marker = Array("XbadX".utf8)
        let i = try #require(bytes.indices.first { bytes[$0...].starts(with: marker) })
        bytes[i] = 0xFF
        let (r, warnings) = decode(bytes: bytes)
        guard case .event(let e) = r else { Issue.record("no event"); return }
        #expect(e.parameter("requestParameters.userName") == "\u{FFFD}badX")
        #expect(warnings.map(\.code) == [DecodeCode.invalidUTF8])
        #expect(warnings.first?.level == .warning)
        #expect(decode(bytes: Array(CloudTrailRecord.record().utf8)).1.isEmpty)
    }

    @Test func loneSurrogateIsReplacedWithWarning() throws {
        let (r, warnings) = decode(bytes: Array(CloudTrailRecord.record(["userAgent": #""ua \ud800 x""#]).utf8))
        guard case .event(let e) = r else { Issue.record("no event"); return }
        #expect(e.userAgent.raw == "ua \u{FFFD} x")
        #expect(warnings.map(\.code) == [DecodeCode.invalidUTF8])
    }

    @Test func deepRequestParametersFailTooDeep() {
        let deep = String(repeating: #"{"a":"#, count: 100) + "1" + String(repeating: "}", count: 100)
        let d = failure(CloudTrailRecord.record(["requestParameters": deep]))
        #expect(d?.code == DecodeCode.tooDeep)
        #expect(d?.level == .error)
        let ok = String(repeating: #"{"a":"#, count: 40) + "1" + String(repeating: "}", count: 40)
        #expect(failure(CloudTrailRecord.record(["requestParameters": ok])) == nil)
    }

    @Test func hugeStringValueIsBounded() throws {
        let big = String(repeating: "A", count: 5 * 1024 * 1024)
        let e = try #require(
            event([
                "requestParameters": "{\"policyDocument\":\"\(big)\",\"userName\":\"x\"}", "userAgent": "\"\(big)\"",
            ]))
        #expect(e.parameter("requestParameters.policyDocument")?.utf8.count == Limits.maxParameterValue)
        #expect(e.parameter("requestParameters.userName") == "x")
        #expect(e.userAgent.raw.utf8.count == UserAgent.maxRawLength)
    }

    @Test func nestedParametersAreRawJSONText() throws {
        let e = try #require(
            event(["requestParameters": #"{"tags":[{"key":"env","value":"prod"}],"filter":{"a":1},"nothing":null}"#]))
        #expect(e.parameter("requestParameters.tags") == #"[{"key":"env","value":"prod"}]"#)
        #expect(e.parameter("requestParameters.filter") == #"{"a":1}"#)
        #expect(e.parameter("requestParameters.nothing") == nil)
    }

    @Test func parameterCountIsBounded() throws {
        let members = (0..<200).map { "\"k\($0)\":\"v\($0)\"" }.joined(separator: ",")
        let e = try #require(
            event(["requestParameters": "{\(members)}", "vpcEndpointId": #""vpce-0123456789abcdef0""#]))
        #expect(e.parameters.count == Limits.maxParameters)
        #expect(e.parameter("vpcEndpointId") == "vpce-0123456789abcdef0")
    }

    @Test(arguments: ["[1,2]", #""just a string""#, "42", "null", "true"])
    func nonObjectRecordFails(json: String) {
        #expect(failure(json)?.code == DecodeCode.notObject)
    }

    @Test(arguments: [
        ("", DecodeCode.notJSON), ("not json at all", DecodeCode.notJSON), (#"{"eventName":"#, DecodeCode.syntax),
        (#"{"a":1}}"#, DecodeCode.syntax), ("[1,", DecodeCode.syntax),
        ("2024-03-01 12:00:00 INFO started", DecodeCode.notJSON), ("nullable", DecodeCode.notJSON),
    ])
    func malformedRecordFails(json: String, code: String) {
        let d = failure(json)
        #expect(d?.code == code)
        #expect(d?.level == .error)
    }

    @Test func unknownObjectFails() {
        let d = failure(#"{"kind":"Widget","apiVersion":"example.com/v1"}"#)
        #expect(d?.code == DecodeCode.unknownFormat)
        #expect(d?.message.contains("kind") == true)
    }

    @Test func digestFileIsSkipped() {
        let digest = #"""
            {"awsAccountId":"111122223333","digestStartTime":"2024-03-01T11:00:00Z","digestEndTime":"2024-03-01T12:00:00Z","digestS3Bucket":"trail-bucket","digestS3Object":"AWSLogs/111122223333/CloudTrail-Digest/us-east-1/2024/03/01/x.json.gz","digestPublicKeyFingerprint":"9e5b2d7c0c7a4bd7","digestSignatureAlgorithm":"SHA256withRSA","newestEventTime":"2024-03-01T11:59:59Z","oldestEventTime":"2024-03-01T11:00:01Z","previousDigestS3Bucket":"trail-bucket","logFiles":[]}
            """#
        let d = skipped(digest)
        #expect(d?.code == DecodeCode.digestFile)
        #expect(d?.level == .note)
    }

    @Test func recordsWrapperIsSkipped() {
        #expect(skipped(#"{"Records":[]}"#)?.level == .note)
        let full = skipped("{\"Records\":[\(CloudTrailRecord.record())]}")
        #expect(full?.code == DecodeCode.notEvent)
        #expect(full?.level == .warning)
    }

    @Test func insightEventUsesInsightDetails() throws {
        let json = #"""
            {"eventVersion":"1.08","eventTime":"2024-03-01T12:00:00Z","awsRegion":"us-east-1","eventID":"ins-1","eventType":"AwsCloudTrailInsight","recipientAccountId":"111122223333","sharedEventID":"s-1","insightDetails":{"state":"Start","eventSource":"ec2.amazonaws.com","eventName":"RunInstances","insightType":"ApiCallRateInsight"},"eventCategory":"Insight"}
            """#
        let e = try #require(event(json))
        #expect(e.action.key == "ec2:RunInstances")
        #expect(e.action.category == .insight)
        #expect(e.identity.key.isEmpty)
    }

    @Test func formatRegistrySniffs() {
        func sniff(_ s: String) -> String? { Array(s.utf8).withUnsafeBytes { FormatRegistry.sniff($0) } }
        #expect(sniff(CloudTrailRecord.record()) == "cloudtrail")
        #expect(sniff(#"{"digestStartTime":"x","digestEndTime":"y"}"#) == "cloudtrail-digest")
        #expect(sniff(#"{"x":1}"#) == nil)
        #expect(sniff("[]") == nil)
        #expect(FormatRegistry.names.contains("eventbridge"))
    }

    @Test func everyTruncationAndByteFlipIsHandled() {
        // No crash, and a truncated record is never mistaken for a complete one.
        let full = Array(CloudTrailRecord.record(["userIdentity": CloudTrailRecord.assumedRole]).utf8)
        var d = RecordDecoder()
        for n in 0..<full.count {
            let r = full[0..<n].withUnsafeBytes { d.decode($0, origin: Origin(path: "t", record: n)) }
            if case .event = r { Issue.record("prefix of \(n) bytes decoded as an event") }
        }
        var rng = SystemRandomNumberGenerator()
        for i in 0..<2000 {
            var b = full
            for _ in 0..<3 { b[Int.random(in: 0..<b.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng) }
            _ = b.withUnsafeBytes { d.decode($0, origin: Origin(path: "f", record: i)) }
        }
        if case .event = full.withUnsafeBytes({ d.decode($0, origin: Origin(path: "t", record: 0)) }) {
        } else {
            Issue.record("intact record no longer decodes after fuzzing the caches")
        }
    }
}
