import ByteJSON
import EventModel

/// CloudTrail digest files (integrity validation): `{"awsAccountId":…, "digestStartTime":…,
/// "digestEndTime":…, "digestS3Bucket":…, "digestPublicKeyFingerprint":…, "logFiles":[…]}`.
/// They hold no events and are skipped with a `decode.digest_file` note.
enum CloudTrailDigest: RecordFormat {
    static let name = "cloudtrail-digest"

    static func sniff(_ f: RecordFields) -> Bool {
        f.has("digestPublicKeyFingerprint") || f.has("digestStartTime") && f.has("digestEndTime")
    }

    static func decode(_ f: RecordFields, context ctx: inout DecodeContext) throws(JSONError) -> DecodeResult {
        .skipped(ctx.diagnostic(.note, DecodeCode.digestFile, "CloudTrail digest file skipped (no events)"))
    }
}

/// JSON that accompanies CloudTrail but carries no event: a `{"Records":[…]}` document
/// that reached the record decoder unframed (a note when empty, a warning otherwise, since
/// its events would be lost) and S3/SNS delivery notifications (`s3ObjectKey`).
enum CloudTrailMetadata: RecordFormat {
    static let name = "cloudtrail-metadata"

    static func sniff(_ f: RecordFields) -> Bool {
        f.has("Records") || f.has("s3ObjectKey") && f.has("s3Bucket")
    }

    static func decode(_ f: RecordFields, context ctx: inout DecodeContext) throws(JSONError) -> DecodeResult {
        if let records = f.first("Records"), records.kind == .array {
            var it = records.elements()
            if try it.next() != nil {
                return .skipped(
                    ctx.diagnostic(
                        .warning, DecodeCode.notEvent,
                        "a whole {\"Records\":[…]} document was given as one record; frame it into records first"))
            }
        }
        return .skipped(ctx.diagnostic(.note, DecodeCode.notEvent, "CloudTrail metadata without events skipped"))
    }
}
