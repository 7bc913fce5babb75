import ByteJSON

/// One S3 object a queue message points at (key already URL-decoded where the shape encodes it).
public struct S3ObjectRef: Sendable, Hashable, CustomStringConvertible {
    /// Bucket name.
    public var bucket: String
    /// Object key, as S3 stores it.
    public var key: String
    /// Size the notification announced, when it carries one (for the lag metric and the log only).
    public var size: Int64?

    /// Creates a reference.
    public init(bucket: String, key: String, size: Int64? = nil) {
        self.bucket = bucket
        self.key = key
        self.size = size
    }

    /// `s3://bucket/key`, the form used in origins and diagnostics.
    public var description: String { "s3://\(bucket)/\(key)" }
}

/// Why a queue message body is not a notification the service can honour; printed as a
/// diagnostic with `code` and left on the queue for its redrive policy.
public struct NotificationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Stable code (`sqs.malformed`, `sqs.unrecognised`, `sqs.too_large`).
    public var code: String
    /// What was wrong, bounded (never the whole body).
    public var message: String

    /// Creates an error.
    public init(code: String, message: String) {
        self.code = code
        self.message = message
    }

    /// `message [code]`.
    public var description: String { "\(message) [\(code)]" }
}

/// What a notification asks for: objects to read, or nothing (a test event, a removal).
public struct S3Notification: Sendable, Hashable {
    /// The shape the body had (for the log and the tests).
    public enum Shape: String, Sendable, Hashable {
        /// An S3 event notification (`Records[].s3`), sent to the queue directly or through SNS raw delivery.
        case s3Event = "s3"
        /// An S3 event notification wrapped in an SNS envelope (`Type: Notification`).
        case sns
        /// An EventBridge `Object Created` event.
        case eventBridge = "eventbridge"
        /// CloudTrail's own SNS notification (`s3Bucket`, `s3ObjectKey`).
        case cloudTrail = "cloudtrail"
        /// `s3:TestEvent`, sent once when a notification is configured: nothing to read.
        case testEvent = "test"
    }

    /// Shape of the outer body (an SNS envelope reports `.sns` whatever it wraps).
    public var shape: Shape
    /// Objects to read, in message order, without repeats.
    public var objects: [S3ObjectRef]
    /// Records of the notification that announce no new object (removals, restores); not read.
    public var ignoredRecords: Int

    /// Creates a parsed notification.
    public init(shape: Shape, objects: [S3ObjectRef], ignoredRecords: Int = 0) {
        self.shape = shape
        self.objects = objects
        self.ignoredRecords = ignoredRecords
    }
}

extension S3Notification {
    /// Limits on what a message may carry: a body is attacker-controlled text once anyone can
    /// send to the queue or the topic.
    public struct Limits: Sendable, Hashable {
        /// Largest body read (SQS allows 256 KiB; an SNS envelope adds its escaping).
        public var maxBodyBytes = 1 << 20
        /// Most objects one message may name (CloudTrail's notification lists a handful).
        public var maxObjects = 1000
        /// Longest key (S3 allows 1024 bytes).
        public var maxKeyBytes = 1024
        /// Longest bucket name (S3 allows 63).
        public var maxBucketBytes = 255

        /// The defaults.
        public init() {}
    }

    /// Parses one SQS message body. Pure: no I/O, no clock.
    public static func parse(_ body: [UInt8], limits: Limits = Limits()) -> Result<S3Notification, NotificationError> {
        guard body.count <= limits.maxBodyBytes else {
            return .failure(
                NotificationError(
                    code: "sqs.too_large",
                    message: "message body of \(body.count) bytes is over the \(limits.maxBodyBytes)-byte limit"))
        }
        return NotificationParser.parse(body, limits: limits, depth: 0)
    }

    /// Parses a body given as text (the SQS API returns it as a JSON string).
    public static func parse(_ body: String, limits: Limits = Limits()) -> Result<S3Notification, NotificationError> {
        parse(Array(body.utf8), limits: limits)
    }
}
