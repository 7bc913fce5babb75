import ByteJSON

/// Field readers of `NotificationParser`: every string is bounded and checked before it
/// names a bucket or key, since the body is whatever was sent to the queue.
extension NotificationParser {
    /// Runs a ByteJSON read, turning its syntax errors into `sqs.malformed`.
    static func json<T>(_ body: () throws(JSONError) -> T) throws(NotificationError) -> T {
        do {
            return try body()
        } catch {
            throw NotificationError(code: "sqs.malformed", message: "the body is not valid JSON: \(error.description)")
        }
    }

    static func unrecognised(_ why: String) -> NotificationError {
        NotificationError(code: "sqs.unrecognised", message: "not an S3 object notification: \(why)")
    }

    /// A string member of at most `maxBytes` bytes.
    static func text(_ value: JSONValue, _ maxBytes: Int, _ name: String) throws(NotificationError) -> String {
        let s = try json { () throws(JSONError) in try value.decodeString(maxBytes: maxBytes) }
        guard let s else { throw unrecognised("\(name) is not a string") }
        guard !s.truncated else { throw unrecognised("\(name) is longer than \(maxBytes) bytes") }
        return s.string
    }

    /// A bucket name: 1 to `maxBucketBytes` of letters, digits, `.`, `-`, `_`.
    func bucketName(_ value: JSONValue, at path: String) throws(NotificationError) -> String {
        let name = try Self.text(value, limits.maxBucketBytes, path)
        let ok = !name.isEmpty && name.utf8.allSatisfy { Self.isBucketByte($0) }
        guard ok else { throw Self.unrecognised("\(path) is not a bucket name") }
        return name
    }

    private static func isBucketByte(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7a) || (b >= 0x41 && b <= 0x5a) || (b >= 0x30 && b <= 0x39) || b == 0x2e || b == 0x2d
            || b == 0x5f
    }

    /// An object key, URL-decoded when the shape encodes it (S3 event notifications do:
    /// `+` for a blank, `%XX` for other bytes); 1 to `maxKeyBytes` bytes of valid UTF-8.
    func key(_ value: JSONValue, encoded: Bool, at path: String) throws(NotificationError) -> String {
        let raw = try Self.text(value, encoded ? 3 * limits.maxKeyBytes : limits.maxKeyBytes, path)
        let key: String
        if encoded {
            guard let decoded = Self.urlDecode(raw) else {
                throw NotificationError(code: "sqs.malformed", message: "\(path) has a bad %-escape or is not UTF-8")
            }
            key = decoded
        } else {
            key = raw
        }
        guard !key.isEmpty, key.utf8.count <= limits.maxKeyBytes else {
            throw Self.unrecognised("\(path) is empty or longer than \(limits.maxKeyBytes) bytes")
        }
        return key
    }

    /// Form URL decoding (`+` is a blank); nil on a bad escape or bytes that are not UTF-8.
    static func urlDecode(_ s: String) -> String? {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var it = s.utf8.makeIterator()
        while let b = it.next() {
            switch b {
            case 0x2b: out.append(0x20)
            case 0x25:
                guard let h = it.next().flatMap(hex), let l = it.next().flatMap(hex) else { return nil }
                out.append(h << 4 | l)
            default: out.append(b)
            }
        }
        return String(validating: out, as: UTF8.self)
    }

    private static func hex(_ b: UInt8) -> UInt8? {
        switch b {
        case 0x30...0x39: b - 0x30
        case 0x41...0x46: b - 0x41 + 10
        case 0x61...0x66: b - 0x61 + 10
        default: nil
        }
    }
}
