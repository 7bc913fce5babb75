import ByteJSON
import EventModel

/// CloudTrail events delivered through Amazon EventBridge:
/// `{"version":"0","detail-type":"AWS API Call via CloudTrail","source":"aws.iam",
///   "account":…,"time":…,"region":…,"detail":{<CloudTrail record>}}`.
/// Every detail-type ending in `via CloudTrail` (API calls, console sign-in, service
/// events) is decoded as the CloudTrail record in `detail`; the envelope's `time`,
/// `account` and `region` fill in when the record lacks them. Other detail-types
/// (GuardDuty findings, …) are skipped with `decode.unsupported_event`.
enum EventBridge: RecordFormat {
    static let name = "eventbridge"

    static func sniff(_ f: RecordFields) -> Bool {
        guard f.has("detail-type"), let d = f.first("detail") else { return false }
        return d.kind == .object || d.kind == .null
    }

    static func decode(_ f: RecordFields, context ctx: inout DecodeContext) throws(JSONError) -> DecodeResult {
        let type = try ctx.text(f.first("detail-type"), max: 128)
        guard type.hasSuffix("via CloudTrail"), let detail = f.first("detail"), detail.kind == .object else {
            return .skipped(
                ctx.diagnostic(
                    .note, DecodeCode.unsupportedEvent, "EventBridge event '\(type)' is not a CloudTrail event"))
        }
        var it = detail.members()
        // Collected in place: a local copy would share the buffer and reallocate it per record.
        try ctx.nested.collect(&it)
        var r = CloudTrail.Fields()
        r.collect(ctx.nested)
        r.envelopeTime = f.first("time")
        r.envelopeAccount = f.first("account")
        r.envelopeRegion = f.first("region")
        // Decoded before `ctx.attachRaw` is called: evaluating `ctx` first would hold a copy of
        // its caches while the decoder writes them, copying a whole cache on every insert.
        var result = try CloudTrail.decode(r, context: &ctx)
        ctx.attachRaw(&result, detail.bytes)
        return result
    }
}
