import ByteJSON

/// The shapes `S3Notification.parse` recognises, read with ByteJSON (no Foundation JSON:
/// every message of a busy queue goes through here). Recognised by content, never by the
/// queue's name: `Records` (S3 event), `Type` (SNS envelope), `detail-type` (EventBridge),
/// `s3Bucket` (CloudTrail's notification), `Event: s3:TestEvent`.
struct NotificationParser {
    let limits: S3Notification.Limits
    private var objects: [S3ObjectRef] = []
    private var seen: Set<S3ObjectRef> = []
    private var ignored = 0

    init(limits: S3Notification.Limits) { self.limits = limits }

    /// The members that tell the shapes apart, found in one pass over the root object.
    private struct Root {
        var records: JSONValue?
        var type: JSONValue?
        var message: JSONValue?
        var detailType: JSONValue?
        var detail: JSONValue?
        var bucket: JSONValue?
        var keys: JSONValue?
        var event: JSONValue?
    }

    /// Parses `bytes` (an SNS envelope's message at `depth` 1).
    static func parse(_ bytes: [UInt8], limits: S3Notification.Limits, depth: Int)
        -> Result<S3Notification, NotificationError>
    {
        var parser = NotificationParser(limits: limits)
        return bytes.withUnsafeBytes { buffer -> Result<S3Notification, NotificationError> in
            do throws(NotificationError) {
                return .success(try parser.parse(buffer, depth: depth))
            } catch {
                return .failure(error)
            }
        }
    }

    private mutating func parse(_ buffer: UnsafeRawBufferPointer, depth: Int) throws(NotificationError)
        -> S3Notification
    {
        let root = try Self.json { () throws(JSONError) in try JSONReader(buffer, maxDepth: 32).root() }
        guard root.kind == .object else { throw Self.unrecognised("the body is JSON but not an object") }
        let r = try Self.json { () throws(JSONError) in try Self.scan(root) }
        if let records = r.records {
            try readRecords(records)
            return S3Notification(shape: .s3Event, objects: objects, ignoredRecords: ignored)
        }
        if let type = r.type { return try unwrapSNS(type: type, message: r.message, depth: depth) }
        if let detailType = r.detailType {
            try readEventBridge(detailType, r.detail)
            return S3Notification(shape: .eventBridge, objects: objects, ignoredRecords: ignored)
        }
        if let bucket = r.bucket {
            try readCloudTrail(bucket, r.keys)
            return S3Notification(shape: .cloudTrail, objects: objects)
        }
        if let event = r.event, try Self.text(event, 64, "Event") == "s3:TestEvent" {
            return S3Notification(shape: .testEvent, objects: [])
        }
        throw Self.unrecognised(
            "no Records, SNS Type, EventBridge detail-type, CloudTrail s3Bucket or s3:TestEvent member")
    }

    private static func scan(_ root: JSONValue) throws(JSONError) -> Root {
        var r = Root()
        var it = root.members()
        while let m = try it.next() {
            let k = m.key
            if k == "Records" {
                r.records = m.value
            } else if k == "Type" {
                r.type = m.value
            } else if k == "Message" {
                r.message = m.value
            } else if k == "detail-type" {
                r.detailType = m.value
            } else if k == "detail" {
                r.detail = m.value
            } else if k == "s3Bucket" {
                r.bucket = m.value
            } else if k == "s3ObjectKey" {
                r.keys = m.value
            } else if k == "Event" {
                r.event = m.value
            }
        }
        return r
    }

    /// An SNS envelope: its `Message` is the notification as a JSON string (one level only).
    private mutating func unwrapSNS(type: JSONValue, message: JSONValue?, depth: Int) throws(NotificationError)
        -> S3Notification
    {
        let kind = try Self.text(type, 64, "Type")
        guard kind == "Notification" else {
            throw Self.unrecognised("an SNS \(kind) message, not a Notification")
        }
        guard depth == 0 else { throw Self.unrecognised("an SNS envelope inside an SNS envelope") }
        guard let message, message.kind == .string else {
            throw Self.unrecognised("an SNS Notification without a Message string")
        }
        let inner = try Self.json { () throws(JSONError) in try message.decodeString(maxBytes: limits.maxBodyBytes) }
        guard let inner, !inner.truncated else { throw Self.unrecognised("the SNS Message is not a bounded string") }
        let parsed = try Self.parse(Array(inner.string.utf8), limits: limits, depth: depth + 1).get()
        return S3Notification(shape: .sns, objects: parsed.objects, ignoredRecords: parsed.ignoredRecords)
    }

    /// `Records[]`: each `ObjectCreated:*` record names one object (its key URL-encoded, `+` for a blank).
    private mutating func readRecords(_ records: JSONValue) throws(NotificationError) {
        guard records.kind == .array else { throw Self.unrecognised("Records is not an array") }
        var it = records.elements()
        var index = 0
        while let record = try Self.json({ () throws(JSONError) in try it.next() }) {
            let (name, s3) = try Self.json { () throws(JSONError) in
                (try record.member("eventName"), try record.member("s3"))
            }
            guard let s3, s3.kind == .object else {
                throw Self.unrecognised(
                    "Records[\(index)] has no s3 member: not an S3 event notification (a log file sent as a message?)")
            }
            var event = ""
            if let name { event = try Self.text(name, 128, "eventName") }
            if event.hasPrefix("ObjectCreated:") {
                let (bucket, object) = try Self.json { () throws(JSONError) in
                    (try s3.member("bucket"), try s3.member("object"))
                }
                try add(bucket: bucket, object: object, encoded: true, at: "Records[\(index)].s3")
            } else {
                ignored += 1
            }
            index += 1
        }
    }

    /// EventBridge: `detail-type: Object Created`, `detail.bucket.name`, `detail.object.key` (not URL-encoded).
    private mutating func readEventBridge(_ detailType: JSONValue, _ detail: JSONValue?) throws(NotificationError) {
        guard try Self.text(detailType, 128, "detail-type") == "Object Created" else {
            ignored += 1
            return
        }
        guard let detail, detail.kind == .object else {
            throw Self.unrecognised("an Object Created event without detail")
        }
        let (bucket, object) = try Self.json { () throws(JSONError) in
            (try detail.member("bucket"), try detail.member("object"))
        }
        try add(bucket: bucket, object: object, encoded: false, at: "detail")
    }

    /// CloudTrail's notification: `s3Bucket` and the array `s3ObjectKey` (plain keys).
    private mutating func readCloudTrail(_ bucketValue: JSONValue, _ keys: JSONValue?) throws(NotificationError) {
        let bucket = try bucketName(bucketValue, at: "s3Bucket")
        guard let keys else { throw Self.unrecognised("s3Bucket without s3ObjectKey") }
        if keys.kind == .string {
            try append(S3ObjectRef(bucket: bucket, key: try key(keys, encoded: false, at: "s3ObjectKey")))
            return
        }
        guard keys.kind == .array else { throw Self.unrecognised("s3ObjectKey is neither a string nor an array") }
        var it = keys.elements()
        while let k = try Self.json({ () throws(JSONError) in try it.next() }) {
            try append(S3ObjectRef(bucket: bucket, key: try key(k, encoded: false, at: "s3ObjectKey[]")))
        }
    }

    /// `{bucket: {name}, object: {key, size}}`, the part S3 and EventBridge events share.
    private mutating func add(bucket: JSONValue?, object: JSONValue?, encoded: Bool, at path: String)
        throws(NotificationError)
    {
        guard let bucket, bucket.kind == .object, let object, object.kind == .object else {
            throw Self.unrecognised("\(path) lacks bucket or object")
        }
        let (name, keyValue, size) = try Self.json { () throws(JSONError) in
            (try bucket.member("name"), try object.member("key"), try object.member("size"))
        }
        guard let name, let keyValue else { throw Self.unrecognised("\(path) lacks bucket.name or object.key") }
        let ref = S3ObjectRef(
            bucket: try bucketName(name, at: path + ".bucket.name"),
            key: try key(keyValue, encoded: encoded, at: path + ".object.key"),
            size: size?.int64.flatMap { $0 >= 0 ? $0 : nil })
        try append(ref)
    }

    private mutating func append(_ ref: S3ObjectRef) throws(NotificationError) {
        let plain = S3ObjectRef(bucket: ref.bucket, key: ref.key)
        guard seen.insert(plain).inserted else { return }
        guard objects.count < limits.maxObjects else {
            throw NotificationError(
                code: "sqs.too_large", message: "the message names more than \(limits.maxObjects) objects")
        }
        objects.append(ref)
    }
}
