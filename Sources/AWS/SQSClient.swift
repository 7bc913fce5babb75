import ByteJSON
import EventModel
import Foundation
import NIOHTTP1

/// One message received from a queue.
public struct SQSMessage: Sendable, Hashable {
    /// SQS message id (stable across redeliveries).
    public var id: String
    /// Handle of this receipt: what DeleteMessage and ChangeMessageVisibility take.
    public var receiptHandle: String
    /// The body as sent.
    public var body: String
    /// How many times the queue has handed the message out (1 the first time).
    public var receiveCount: Int

    /// Creates a message.
    public init(id: String, receiptHandle: String, body: String, receiveCount: Int = 1) {
        self.id = id
        self.receiptHandle = receiptHandle
        self.body = body
        self.receiveCount = receiveCount
    }
}

/// The SQS calls `watch --sqs` needs, in the JSON 1.0 protocol (`X-Amz-Target: AmazonSQS.<Action>`,
/// what the AWS SDKs speak since 2023; moto answers it too): long-polling ReceiveMessage,
/// DeleteMessageBatch, ChangeMessageVisibility, plus CreateQueue and SendMessage for tools and tests.
/// Requests go through `AWSClient` (signing, retries with backoff, bounded answers).
public struct SQSClient: Sendable {
    /// Signed-request client.
    public let client: AWSClient
    /// The queue's URL (`https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`).
    public let queueURL: String
    /// Where requests are sent: `endpoint_url` when given, else the queue URL's scheme and host.
    public let endpoint: String

    /// Creates a client for one queue; `endpoint` overrides the host the queue URL names.
    public init(client: AWSClient, queueURL: String, endpoint: String? = nil) {
        self.client = client
        self.queueURL = queueURL
        let base = endpoint ?? SQSClient.origin(of: queueURL) ?? queueURL
        self.endpoint = base.hasSuffix("/") ? String(base.dropLast()) : base
    }

    /// `scheme://host[:port]` of a URL; nil when it is not `http(s)://host…`.
    public static func origin(of url: String) -> String? {
        guard let r = url.range(of: "://") else { return nil }
        let scheme = url[..<r.lowerBound].lowercased()
        guard scheme == "https" || scheme == "http" else { return nil }
        let host = url[r.upperBound...].prefix { $0 != "/" && $0 != "?" }
        guard !host.isEmpty else { return nil }
        return "\(scheme)://\(host)"
    }

    /// The region an AWS queue URL names (`sqs.REGION.amazonaws.com`, or the legacy
    /// `REGION.queue.amazonaws.com`); nil for other hosts (a local endpoint).
    public static func region(ofQueue url: String) -> String? {
        guard let origin = origin(of: url), let r = origin.range(of: "://") else { return nil }
        let labels = origin[r.upperBound...].prefix { $0 != ":" }.split(separator: ".")
        guard labels.count >= 4, labels.contains("amazonaws") else { return nil }
        if labels[0] == "sqs" { return String(labels[1]) }
        if labels[1] == "queue" { return String(labels[0]) }
        return nil
    }

    /// True when `url` looks like a queue URL: `http(s)://host/ACCOUNT/NAME`.
    public static func isQueueURL(_ url: String) -> Bool {
        guard let origin = origin(of: url) else { return false }
        let path = url.dropFirst(origin.count).split(separator: "/", omittingEmptySubsequences: true)
        return path.count == 2 && !path[1].isEmpty && path[1].count <= 80
    }

    /// Long-polling ReceiveMessage: waits up to `wait` seconds for up to `max` messages, hiding
    /// them for `visibility` seconds (nil: the queue's default).
    public func receive(max: Int = 10, wait: Int = 20, visibility: Int? = nil) async throws -> [SQSMessage] {
        var body =
            #"{"QueueUrl":\#(JSONText.quote(queueURL)),"MaxNumberOfMessages":\#(max),"WaitTimeSeconds":\#(wait),"#
            + #""MessageSystemAttributeNames":["ApproximateReceiveCount"],"AttributeNames":["ApproximateReceiveCount"]"#
        if let visibility { body += #","VisibilityTimeout":\#(visibility)"# }
        let answer = try await call("ReceiveMessage", body + "}", maxResponse: 8 << 20)
        return try SQSAnswers.messages(answer)
    }

    /// DeleteMessageBatch over `handles` (10 per call); returns the handles SQS did not delete,
    /// with why (an expired receipt: the message comes back and is read again).
    public func delete(_ handles: [String]) async throws -> [(handle: String, error: AWSError)] {
        var failed: [(String, AWSError)] = []
        var start = 0
        while start < handles.count {
            let chunk = Array(handles[start..<min(start + 10, handles.count)])
            let entries = chunk.enumerated().map {
                #"{"Id":"\#($0.offset)","ReceiptHandle":\#(JSONText.quote($0.element))}"#
            }
            let answer = try await call(
                "DeleteMessageBatch",
                #"{"QueueUrl":\#(JSONText.quote(queueURL)),"Entries":[\#(entries.joined(separator: ","))]}"#,
                maxResponse: 1 << 20)
            for (id, error) in try SQSAnswers.batchFailures(answer) {
                if let i = Int(id), chunk.indices.contains(i) { failed.append((chunk[i], error)) }
            }
            start += 10
        }
        return failed
    }

    /// ChangeMessageVisibility: hides the message `seconds` longer from now (0: hand it out again now).
    public func changeVisibility(_ handle: String, seconds: Int) async throws {
        _ = try await call(
            "ChangeMessageVisibility",
            #"{"QueueUrl":\#(JSONText.quote(queueURL)),"ReceiptHandle":\#(JSONText.quote(handle)),"VisibilityTimeout":\#(seconds)}"#,
            maxResponse: 64 << 10)
    }

    /// SendMessage (tools and tests); returns the message id.
    @discardableResult
    public func send(_ body: String) async throws -> String {
        let answer = try await call(
            "SendMessage", #"{"QueueUrl":\#(JSONText.quote(queueURL)),"MessageBody":\#(JSONText.quote(body))}"#,
            maxResponse: 64 << 10)
        return try SQSAnswers.string(answer, "MessageId")
    }

    /// CreateQueue on `endpoint` (tools and tests); returns the queue URL.
    public static func createQueue(
        client: AWSClient, endpoint: String, name: String, attributes: [String: String] = [:]
    ) async throws -> String {
        let attrs = attributes.sorted { $0.key < $1.key }.map {
            "\(JSONText.quote($0.key)):\(JSONText.quote($0.value))"
        }
        let q = SQSClient(client: client, queueURL: endpoint + "/", endpoint: endpoint)
        let answer = try await q.call(
            "CreateQueue", #"{"QueueName":\#(JSONText.quote(name)),"Attributes":{\#(attrs.joined(separator: ","))}}"#,
            maxResponse: 64 << 10)
        return try SQSAnswers.string(answer, "QueueUrl")
    }

    /// GetQueueAttributes: the approximate numbers of visible and in-flight messages (tests, tools).
    public func counts() async throws -> (visible: Int, inFlight: Int) {
        let answer = try await call(
            "GetQueueAttributes",
            #"{"QueueUrl":\#(JSONText.quote(queueURL)),"AttributeNames":["ApproximateNumberOfMessages","ApproximateNumberOfMessagesNotVisible"]}"#,
            maxResponse: 64 << 10)
        return try SQSAnswers.counts(answer)
    }

    func call(_ action: String, _ json: String, maxResponse: Int) async throws -> [UInt8] {
        let request = AWSRequest(
            service: "sqs", method: .POST, endpoint: endpoint, path: "/",
            headers: [("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "AmazonSQS.\(action)")],
            body: Array(json.utf8), maxResponseBytes: maxResponse)
        return Array(try await client.send(request).body)
    }
}
