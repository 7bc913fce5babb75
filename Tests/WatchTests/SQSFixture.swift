import AWS
import Foundation
import TestSupport
import Testing

/// A real moto server with a bucket of CloudTrail delivery files and a notification queue, set
/// up through the AWS module's own signed clients (the same code paths `watch --sqs` reads with).
struct SQSFixture {
    let moto: MotoServer
    let aws: AWSClient
    let bucket = "org-trail"
    let queue: SQSClient
    /// Local copy of every uploaded object, under the same relative path as its key (for `scan`).
    let dir: URL

    /// Starts moto, creates the bucket and a queue hiding received messages for `visibility` seconds.
    init(dir: URL, visibility: Int = 30, queueName: String = "trail-notifications") async throws {
        moto = try MotoServer()
        aws = AWSClient(
            http: .shared,
            credentials: StaticCredentialProvider(AWSCredentials(accessKeyId: "testing", secretAccessKey: "testing")),
            region: "us-east-1")
        self.dir = dir
        do {
            _ = try await aws.send(AWSRequest(service: "s3", method: .PUT, endpoint: moto.endpoint, path: "/\(bucket)"))
            let url = try await SQSClient.createQueue(
                client: aws, endpoint: moto.endpoint, name: queueName,
                attributes: ["VisibilityTimeout": String(visibility)])
            queue = SQSClient(client: aws, queueURL: url)
        } catch {
            FileHandle.standardError.write(Data("SQSFixture: \(error)\n".utf8))
            throw error
        }
    }

    /// Environment of the binary: moto's credentials, no instance metadata.
    var env: [String: String] { MotoServer.environment }

    /// Has S3 itself send `ObjectCreated` notifications of the bucket to the queue (and its s3:TestEvent).
    func wireNotifications() async throws {
        let name = queue.queueURL.split(separator: "/").last.map(String.init) ?? ""
        let xml = """
            <NotificationConfiguration xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><QueueConfiguration>\
            <Id>trail</Id><Queue>arn:aws:sqs:us-east-1:123456789012:\(name)</Queue><Event>s3:ObjectCreated:*</Event>\
            </QueueConfiguration></NotificationConfiguration>
            """
        _ = try await aws.send(
            AWSRequest(
                service: "s3", method: .PUT, endpoint: moto.endpoint, path: "/\(bucket)", query: [("notification", "")],
                body: Array(xml.utf8)))
    }

    /// Writes a gzip CloudTrail delivery file locally and uploads it under the same key.
    @discardableResult
    func deliver(_ records: [String], key: String) async throws -> String {
        let local = dir.appendingPathComponent(key)
        try FileManager.default.createDirectory(
            at: local.deletingLastPathComponent(), withIntermediateDirectories: true)
        let plain = local.deletingPathExtension()
        try Data(("{\"Records\":[" + records.joined(separator: ",") + "]}").utf8).write(to: plain)
        try sh("/bin/gzip", ["-n", "-f", plain.path])
        try await put(key, Array(try Data(contentsOf: local)))
        return key
    }

    /// PutObject.
    func put(_ key: String, _ bytes: [UInt8]) async throws {
        _ = try await aws.send(
            AWSRequest(service: "s3", method: .PUT, endpoint: moto.endpoint, path: "/\(bucket)/\(key)", body: bytes))
    }

    /// Messages visible plus in flight.
    func remaining() async throws -> Int {
        let c = try await queue.counts()
        return c.visible + c.inFlight
    }

    /// The four notification shapes that name `keys`.
    enum Shape: CaseIterable {
        case s3Event, snsWrapped, eventBridge, cloudTrail
    }

    /// A message body of `shape` naming `keys` in this bucket.
    func body(_ shape: Shape, _ keys: [String]) -> String {
        func s3Record(_ key: String) -> String {
            let encoded =
                key.addingPercentEncoding(
                    withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "/-_.")))?
                .replacingOccurrences(of: "%20", with: "+") ?? key
            return
                #"{"eventVersion":"2.1","eventSource":"aws:s3","eventName":"ObjectCreated:Put","s3":{"bucket":{"name":"\#(bucket)"},"object":{"key":"\#(encoded)","size":1}}}"#
        }
        let s3 = #"{"Records":[\#(keys.map(s3Record).joined(separator: ","))]}"#
        switch shape {
        case .s3Event: return s3
        case .snsWrapped:
            return
                #"{"Type":"Notification","MessageId":"m","TopicArn":"arn:aws:sns:us-east-1:123456789012:t","Message":\#(JSONString.quote(s3))}"#
        case .eventBridge:
            precondition(keys.count == 1)
            return
                #"{"version":"0","detail-type":"Object Created","source":"aws.s3","detail":{"bucket":{"name":"\#(bucket)"},"object":{"key":"\#(keys[0])"}}}"#
        case .cloudTrail:
            let list = keys.map { #""\#($0)""# }.joined(separator: ",")
            let inner = #"{"s3Bucket":"\#(bucket)","s3ObjectKey":[\#(list)]}"#
            return #"{"Type":"Notification","Message":\#(JSONString.quote(inner))}"#
        }
    }
}

/// JSON string literals for hand-built message bodies.
enum JSONString {
    static func quote(_ s: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [s])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
}
