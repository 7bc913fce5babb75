import ByteJSON
import EventModel

/// OCSF API Activity records (`class_uid` 6003), as Amazon Security Lake, CloudTrail Lake
/// exports and OCSF-speaking collectors write CloudTrail. Each record is transcoded back to
/// the CloudTrail record it came from and decoded by `CloudTrail`, so it becomes the same
/// `Event` the original gives, and rules written against CloudTrail's own field names
/// (Sigma's `aws/cloudtrail`) read the transcoded record as their raw record.
///
/// Each CloudTrail member is taken from the first OCSF path present (`OCSFAPIActivity.members`):
/// the OCSF 1.1+ mapping AWS publishes for Security Lake (`api.operation`, `api.service.name`,
/// `actor.user.uid` = the ARN, `src_endpoint.ip`, `api.request.data`, …), the older 1.0 names
/// (`actor.user.uuid`, `actor.user.account_uid`, `actor.session.mfa`), then `unmapped.<member>`,
/// where mappers keep what OCSF has no slot for (`userIdentity`, `requestParameters`, `resources`).
/// `api.request.data` and `api.response.data` may be objects or JSON text (Parquet exports
/// store them as strings); text that is not a JSON object is left out, never trusted.
/// Required as for CloudTrail: a time (`time_dt`, else `time` in epoch milliseconds),
/// `api.operation` and `api.service.name` (`decode.missing_field`).
enum OCSFAPIActivity: RecordFormat {
    static let name = "ocsf-api-activity"

    /// The transcoded record's size limit; the rest of a larger record is not read.
    static let maxTranscoded = 256 * 1024

    static func sniff(_ f: RecordFields) -> Bool {
        guard let c = f.first("class_uid"), c.kind == .number, f.has("api") else { return false }
        return c.bytes.elementsEqual("6003".utf8)
    }

    /// CloudTrail member ← OCSF paths, first present wins (`unmapped` last).
    static let members: [(StaticString, [[StaticString]])] = [
        ("eventSource", [["api", "service", "name"], ["unmapped", "eventSource"]]),
        ("eventName", [["api", "operation"], ["unmapped", "eventName"]]),
        ("awsRegion", [["cloud", "region"], ["unmapped", "awsRegion"]]),
        ("recipientAccountId", [["cloud", "account", "uid"], ["unmapped", "recipientAccountId"]]),
        ("sourceIPAddress", [["src_endpoint", "ip"], ["src_endpoint", "domain"], ["unmapped", "sourceIPAddress"]]),
        ("userAgent", [["http_request", "user_agent"], ["unmapped", "userAgent"]]),
        ("errorCode", [["api", "response", "error"], ["unmapped", "errorCode"]]),
        ("errorMessage", [["api", "response", "message"], ["unmapped", "errorMessage"]]),
        ("eventID", [["metadata", "uid"], ["unmapped", "eventID"]]),
        ("eventType", [["metadata", "event_code"], ["unmapped", "eventType"]]),
        ("eventCategory", [["metadata", "log_name"], ["unmapped", "eventCategory"]]),
        ("readOnly", [["unmapped", "readOnly"]]),
        ("managementEvent", [["unmapped", "managementEvent"]]),
        ("additionalEventData", [["unmapped", "additionalEventData"]]),
        ("resources", [["unmapped", "resources"]]),
        ("vpcEndpointId", [["src_endpoint", "uid"], ["unmapped", "vpcEndpointId"]]),
    ]

    static func decode(_ f: RecordFields, context ctx: inout DecodeContext) throws(JSONError) -> DecodeResult {
        var out = Transcript()
        try transcode(f, into: &out, &ctx)
        guard out.bytes.count <= maxTranscoded else {
            return .failed(
                ctx.diagnostic(
                    .error, DecodeCode.tooLarge,
                    "OCSF record transcodes to more than \(maxTranscoded) bytes of CloudTrail; skipped it"))
        }
        let buf = UnsafeMutableRawBufferPointer.allocate(byteCount: out.bytes.count, alignment: 1)
        defer { buf.deallocate() }
        buf.copyBytes(from: out.bytes)
        let reader = JSONReader(UnsafeRawBufferPointer(buf), maxDepth: ctx.maxDepth)
        var it = try reader.rootMembers()
        // Collected in place: a local copy would share the buffer and reallocate it per record.
        try ctx.nested.collect(&it)
        var r = CloudTrail.Fields()
        r.collect(ctx.nested)
        // Decoded before `ctx.attachRaw` is called: evaluating `ctx` first would hold a copy of
        // its caches while the decoder writes them, copying a whole cache on every insert.
        var result = try CloudTrail.decode(r, context: &ctx)
        ctx.attachRaw(&result, UnsafeRawBufferPointer(buf))
        return result
    }

    /// Writes the CloudTrail record of `f` into `out`.
    static func transcode(_ f: RecordFields, into out: inout Transcript, _ ctx: inout DecodeContext) throws(JSONError) {
        if let t = try first(f, [["time_dt"], ["unmapped", "eventTime"]]), t.kind == .string {
            out.member("eventTime", t.bytes)
        } else if let t = f.first("time"), t.kind == .number, let ms = Int64(String(decoding: t.bytes, as: UTF8.self)) {
            out.member("eventTime", quoted: Timestamp.format(ms))
        }
        for (key, paths) in members {
            if let v = try first(f, paths) { out.member(key, v.bytes) }
        }
        for (key, ocsf) in [("requestParameters", "request"), ("responseElements", "response")]
            as [(StaticString, StaticString)]
        {
            let fallback: [StaticString] = ["unmapped", key]
            if let v = try first(f, [["api", ocsf, "data"], fallback]) { try embedObject(key, v, into: &out, &ctx) }
        }
        if let u = try first(f, [["unmapped", "userIdentity"]]), u.kind == .object {
            out.member("userIdentity", u.bytes)
        } else if let actor = f.first("actor"), actor.kind == .object {
            try userIdentity(actor, into: &out)
        }
        out.close()
    }

    /// Embeds an object member, or JSON text holding one (checked first; anything else is left out).
    static func embedObject(
        _ key: StaticString, _ v: JSONValue, into out: inout Transcript, _ ctx: inout DecodeContext
    ) throws(JSONError) {
        if v.kind == .object { return out.member(key, v.bytes) }
        guard v.kind == .string else { return }
        var text = try ctx.text(v, max: maxTranscoded / 2, intern: false)
        let valid = text.withUTF8 { u in
            let reader = JSONReader(UnsafeRawBufferPointer(u), maxDepth: ctx.maxDepth)
            return (try? reader.rootKind()) == .object && (try? reader.root()) != nil
        }
        if valid { text.withUTF8 { out.member(key, UnsafeRawBufferPointer($0)) } }
    }

    /// `userIdentity` from OCSF's `actor`: whichever of `user.uid`, `user.uid_alt`, `user.uuid` is an
    /// ARN is the ARN, the other the principal id (1.1 and 1.0 map them the other way round).
    static func userIdentity(_ actor: JSONValue, into out: inout Transcript) throws(JSONError) {
        let user = try actor.member("user")
        var ids: [JSONValue] = []
        for k: StaticString in ["uid", "uid_alt", "uuid"] {
            if let v = try member(user, [k]), v.kind == .string { ids.append(v) }
        }
        let isARN = { (v: JSONValue) in v.stringBytes.starts(with: "arn:".utf8) }
        var inner = Transcript()
        if let v = try member(user, ["type"]) { inner.member("type", v.bytes) }
        if let arn = ids.first(where: isARN) { inner.member("arn", arn.bytes) }
        if let pid = ids.first(where: { !isARN($0) }) { inner.member("principalId", pid.bytes) }
        if let v = try member(user, ["account", "uid"]) {
            inner.member("accountId", v.bytes)
        } else if let v = try member(user, ["account_uid"]) {
            inner.member("accountId", v.bytes)
        }
        if let v = try member(user, ["credential_uid"]) { inner.member("accessKeyId", v.bytes) }
        if let v = try member(user, ["name"]) { inner.member("userName", v.bytes) }
        if let v = try member(actor, ["invoked_by"]) { inner.member("invokedBy", v.bytes) }
        if let v = try member(actor, ["idp", "name"]) { inner.member("identityProvider", v.bytes) }
        let issuer = try member(actor, ["session", "issuer"])
        var mfa = try member(actor, ["session", "is_mfa"])
        if mfa == nil { mfa = try member(actor, ["session", "mfa"]) }
        if issuer != nil || mfa != nil {
            var session = Transcript()
            if let issuer {
                var s = Transcript()
                s.member("arn", issuer.bytes)
                s.close()
                session.member("sessionIssuer", object: s)
            }
            if let mfa {
                var a = Transcript()
                a.member("mfaAuthenticated", quoted: mfa.kind == .true ? "true" : "false")
                a.close()
                session.member("attributes", object: a)
            }
            session.close()
            inner.member("sessionContext", object: session)
        }
        inner.close()
        out.member("userIdentity", object: inner)
    }

    /// The first present, non-null value among `paths` from the record's top level.
    static func first(_ f: RecordFields, _ paths: [[StaticString]]) throws(JSONError) -> JSONValue? {
        for p in paths {
            guard let head = p.first, let top = f.first(head) else { continue }
            if let v = try member(top, Array(p.dropFirst())) { return v }
        }
        return nil
    }

    /// The value at `path` below `v`; nil when absent, null, or a step is not an object.
    static func member(_ v: JSONValue?, _ path: [StaticString]) throws(JSONError) -> JSONValue? {
        guard var cur = v else { return nil }
        for k in path {
            guard cur.kind == .object, let next = try cur.member(k) else { return nil }
            cur = next
        }
        return cur.kind == .null ? nil : cur
    }
}

/// A JSON object written member by member from values that are already valid JSON text.
struct Transcript {
    private(set) var bytes: [UInt8] = [UInt8(ascii: "{")]

    /// Appends `"key":value` (`value` is JSON text taken from a parsed record).
    mutating func member(_ key: StaticString, _ value: UnsafeRawBufferPointer) {
        if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(contentsOf: "\":".utf8)
        bytes.append(contentsOf: value)
    }

    /// Appends `"key":"text"`; `text` is produced here (a time, `true`) and needs no escaping.
    mutating func member(_ key: StaticString, quoted text: String) {
        var t = "\"" + text + "\""
        t.withUTF8 { member(key, UnsafeRawBufferPointer($0)) }
    }

    /// Appends `"key":{…}` from a closed transcript.
    mutating func member(_ key: StaticString, object: Transcript) {
        object.bytes.withUnsafeBytes { member(key, $0) }
    }

    /// Ends the object.
    mutating func close() { bytes.append(UInt8(ascii: "}")) }
}
