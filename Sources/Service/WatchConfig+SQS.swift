import AWS
import Config

extension WatchConfig {
    /// An SQS queue of S3 object notifications (`inputs: [{kind: sqs, url: …}]`, `--sqs URL`):
    /// each message names CloudTrail objects, which are read from S3 into the engine; the message
    /// is deleted once the checkpoint holding its objects' events has committed.
    public struct Queue: Sendable, Hashable {
        /// Queue URL, `https://sqs.REGION.amazonaws.com/ACCOUNT/NAME`.
        public var url: String
        /// Region for signing; nil: the queue URL's, else `AWS_REGION` / the profile's.
        public var region: String?
        /// Endpoint for SQS and S3 requests (moto, LocalStack, a VPC endpoint); nil: AWS's.
        public var endpointURL: String?
        /// Seconds a received message stays hidden from other readers; it is extended while the
        /// message's objects are read and until its checkpoint commits, so it only needs to cover
        /// the gap between two extensions (a third of it). 1 to 43200.
        public var visibilityTimeout = 120
        /// Long-polling wait of ReceiveMessage, seconds (0 to 20): fewer empty answers to pay for.
        public var waitSeconds = 20

        /// Creates a queue input with defaults.
        public init(url: String) { self.url = url }
    }

    /// The queue entry of `inputs:` (`kind: sqs`); nil after reporting its problems.
    static func readQueue(_ r: ConfigReader) -> Queue? {
        defer { r.finish() }
        _ = r.string("kind", default: "sqs")
        guard let url = r.requiredString("url") else { return nil }
        var q = Queue(url: url)
        if let problem = queueURLProblem(url) { r.report("url", code: "config.value", problem) }
        if r.has("region") { q.region = r.string("region", default: "") }
        if r.has("endpoint_url") {
            let e = r.string("endpoint_url", default: "")
            if SQSClient.origin(of: e) == nil {
                r.report("endpoint_url", code: "config.value", "expected http(s)://host[:port] (got '\(e)')")
            }
            q.endpointURL = e
        }
        q.visibilityTimeout = r.int("visibility_timeout", default: 120, in: 1...43_200)
        q.waitSeconds = r.int("wait_seconds", default: 20, in: 0...20)
        return q
    }

    /// Why `url` cannot be a queue URL, or nil.
    public static func queueURLProblem(_ url: String) -> String? {
        SQSClient.isQueueURL(url)
            ? nil : "expected a queue URL, https://sqs.REGION.amazonaws.com/ACCOUNT/NAME (got '\(url)')"
    }

    /// Whether an `inputs:` entry is a queue (`kind: sqs`).
    static func isQueueEntry(_ r: ConfigReader) -> Bool {
        r.has("kind") && r.string("kind", default: "auto") == "sqs"
    }
}
