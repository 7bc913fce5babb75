import Testing

@testable import AWS

/// The notification shapes a CloudTrail queue receives, as AWS documents them, and hostile bodies.
@Suite struct S3NotificationTests {
    static let key =
        "AWSLogs/o-abc123/111122223333/CloudTrail/us-east-1/2026/12/07/x_CloudTrail_us-east-1_20261207T0100Z_a.json.gz"

    static func s3Event(_ key: String, event: String = "ObjectCreated:Put", bucket: String = "trail-bucket") -> String {
        """
        {"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",\
        "eventTime":"2026-12-07T01:05:00.000Z","eventName":"\(event)","s3":{"s3SchemaVersion":"1.0",\
        "bucket":{"name":"\(bucket)","arn":"arn:aws:s3:::\(bucket)"},\
        "object":{"key":"\(key)","size":1024,"eTag":"0123","sequencer":"0A1B"}}}]}
        """
    }

    static func escaped(_ json: String) -> String {
        json.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
    }

    func objects(_ body: String) throws -> S3Notification {
        try S3Notification.parse(body).get()
    }

    func error(_ body: String) -> NotificationError? {
        if case .failure(let e) = S3Notification.parse(body) { return e }
        return nil
    }

    @Test func directS3EventDecodesTheKey() throws {
        let n = try objects(Self.s3Event("AWSLogs/111122223333/CloudTrail/a+b%2Bc%C3%A9.json.gz"))
        #expect(n.shape == .s3Event)
        #expect(
            n.objects == [
                S3ObjectRef(bucket: "trail-bucket", key: "AWSLogs/111122223333/CloudTrail/a b+cé.json.gz", size: 1024)
            ])
        #expect(n.objects[0].description == "s3://trail-bucket/AWSLogs/111122223333/CloudTrail/a b+cé.json.gz")
    }

    @Test func removalsAreCountedNotRead() throws {
        let n = try objects(Self.s3Event(Self.key, event: "ObjectRemoved:Delete"))
        #expect(n.objects.isEmpty)
        #expect(n.ignoredRecords == 1)
    }

    @Test func snsEnvelopeWrapsTheS3Event() throws {
        let body = """
            {"Type":"Notification","MessageId":"m-1","TopicArn":"arn:aws:sns:us-east-1:111122223333:trail",\
            "Subject":"Amazon S3 Notification","Message":"\(Self.escaped(Self.s3Event(Self.key)))",\
            "Timestamp":"2026-12-07T01:05:01.000Z","SignatureVersion":"1"}
            """
        let n = try objects(body)
        #expect(n.shape == .sns)
        #expect(n.objects.map(\.key) == [Self.key])
    }

    @Test func snsRawDeliveryIsTheBareEvent() throws {
        // Raw message delivery hands the queue the Message itself: the same body as a direct notification.
        #expect(try objects(Self.s3Event(Self.key)).objects.map(\.bucket) == ["trail-bucket"])
    }

    @Test func eventBridgeObjectCreated() throws {
        let body = """
            {"version":"0","id":"c988","detail-type":"Object Created","source":"aws.s3","account":"111122223333",\
            "time":"2026-12-07T01:05:00Z","region":"us-east-1","resources":["arn:aws:s3:::trail-bucket"],\
            "detail":{"version":"0","bucket":{"name":"trail-bucket"},"object":{"key":"logs/a b.json.gz","size":77},\
            "reason":"PutObject"}}
            """
        let n = try objects(body)
        #expect(n.shape == .eventBridge)
        #expect(n.objects == [S3ObjectRef(bucket: "trail-bucket", key: "logs/a b.json.gz", size: 77)])
        let deleted = body.replacingOccurrences(of: "Object Created", with: "Object Deleted")
        #expect(try objects(deleted).objects.isEmpty)
    }

    @Test func cloudTrailNotificationListsKeys() throws {
        let direct = #"{"s3Bucket":"trail-bucket","s3ObjectKey":["\#(Self.key)","a/b.json.gz","a/b.json.gz"]}"#
        let n = try objects(direct)
        #expect(n.shape == .cloudTrail)
        #expect(n.objects.map(\.key) == [Self.key, "a/b.json.gz"])
        let wrapped = #"{"Type":"Notification","Message":"\#(Self.escaped(direct))"}"#
        #expect(try objects(wrapped).objects.count == 2)
    }

    @Test func testEventIsNothingToRead() throws {
        let body = """
            {"Service":"Amazon S3","Event":"s3:TestEvent","Time":"2026-12-07T01:00:00.000Z",\
            "Bucket":"trail-bucket","RequestId":"R","HostId":"H"}
            """
        let n = try objects(body)
        #expect(n.shape == .testEvent)
        #expect(n.objects.isEmpty)
    }

    @Test(arguments: [
        ("", "sqs.malformed"),
        ("{\"Records\":[", "sqs.malformed"),
        ("[1,2]", "sqs.unrecognised"),
        ("{\"hello\":1}", "sqs.unrecognised"),
        ("{\"Records\":[{\"eventVersion\":\"1.08\",\"eventName\":\"ConsoleLogin\"}]}", "sqs.unrecognised"),
        ("{\"Records\":{}}", "sqs.unrecognised"),
        ("{\"Type\":\"SubscriptionConfirmation\",\"Message\":\"x\"}", "sqs.unrecognised"),
        ("{\"Type\":\"Notification\",\"Message\":\"not json\"}", "sqs.malformed"),
        ("{\"Type\":\"Notification\",\"Message\":{\"Records\":[]}}", "sqs.unrecognised"),
        ("{\"s3Bucket\":\"b\"}", "sqs.unrecognised"),
        ("{\"s3Bucket\":\"b/../../x\",\"s3ObjectKey\":[\"k\"]}", "sqs.unrecognised"),
        ("{\"s3Bucket\":\"b\",\"s3ObjectKey\":[\"\"]}", "sqs.unrecognised"),
        ("{\"s3Bucket\":\"b\",\"s3ObjectKey\":[7]}", "sqs.unrecognised"),
        ("{\"detail-type\":\"Object Created\"}", "sqs.unrecognised"),
        ("{\"Event\":\"s3:SomethingElse\"}", "sqs.unrecognised"),
    ])
    func hostileBodiesAreReportedWithACode(body: String, code: String) {
        #expect(error(body)?.code == code, "\(body)")
    }

    @Test func badPercentEscapeIsMalformed() {
        #expect(error(Self.s3Event("a%2"))?.code == "sqs.malformed")
        #expect(error(Self.s3Event("a%zz"))?.code == "sqs.malformed")
        #expect(error(Self.s3Event("a%FF"))?.code == "sqs.malformed")  // not UTF-8
    }

    @Test func nestedSNSIsRefused() {
        let inner = #"{"Type":"Notification","Message":"\#(Self.escaped(Self.s3Event(Self.key)))"}"#
        let outer = #"{"Type":"Notification","Message":"\#(Self.escaped(inner))"}"#
        #expect(error(outer)?.message.contains("inside an SNS envelope") == true)
    }

    @Test func boundsHold() {
        var limits = S3Notification.Limits()
        limits.maxObjects = 2
        let three = #"{"s3Bucket":"b","s3ObjectKey":["a","b","c"]}"#
        if case .failure(let e) = S3Notification.parse(three, limits: limits) {
            #expect(e.code == "sqs.too_large")
        } else {
            Issue.record("three objects passed a limit of two")
        }
        limits = S3Notification.Limits()
        limits.maxBodyBytes = 10
        #expect((try? S3Notification.parse(three, limits: limits).get()) == nil)
        let longKey = String(repeating: "k", count: 1025)
        #expect(error(#"{"s3Bucket":"b","s3ObjectKey":["\#(longKey)"]}"#)?.code == "sqs.unrecognised")
        let deep = String(repeating: "[", count: 100) + String(repeating: "]", count: 100)
        #expect(error(#"{"Records":\#(deep)}"#) != nil)
    }

    @Test func messageTextIsBounded() {
        let junk = String(repeating: "x", count: 5000)
        let e = error(#"{"Type":"\#(junk)"}"#)
        #expect(e != nil)
        #expect((e?.message.count ?? .max) < 400)
    }
}
