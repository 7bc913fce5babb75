import ByteJSON
import EventModel

/// Parameters (`Event.parameters`), at most `Limits.maxParameters`, values at most
/// `Limits.maxParameterValue` bytes (strings decoded; numbers and booleans as written;
/// objects and arrays as raw JSON text, cut on a character boundary when too long; JSON
/// null omitted):
/// - `requestParameters.<key>` for every top-level member of `requestParameters`;
/// - from `responseElements`, only what detectors and investigations need:
///   `responseElements.accessKey.accessKeyId` and `.accessKey.userName` (CreateAccessKey),
///   `responseElements.credentials.accessKeyId` (STS session credentials),
///   `responseElements.assumedRoleUser.arn` (AssumeRole*),
///   `responseElements.subjectFromWebIdentityToken` (AssumeRoleWithWebIdentity),
///   `responseElements.functionUrl` and `responseElements.authType` (Lambda function URLs),
///   `responseElements.ConsoleLogin` (sign-in result);
/// - `additionalEventData.MFAUsed` (console sign-in) and `vpcEndpointId`.
/// The response / extra keys are filled first so a huge `requestParameters` cannot push them out.
extension CloudTrail {
    /// Resources and parameters of the event.
    static func details(_ r: Fields, into event: inout Event, _ ctx: inout DecodeContext) throws(JSONError) {
        var list = ResourceList()
        var params: [String: String] = [:]
        try listedResources(r.resources, into: &list, &ctx)
        if let resp = present(r.responseElements), resp.kind == .object {
            try responseElements(resp, event.action.operation, &params, &list, &ctx)
        }
        if let extra = present(r.additionalEventData), let mfa = try extra.member("MFAUsed") {
            put(&params, "additionalEventData.MFAUsed", try ctx.text(mfa, max: 64))
        }
        if let vpce = present(r.vpcEndpointId) { put(&params, "vpcEndpointId", try ctx.text(vpce, max: 128)) }
        if let req = present(r.requestParameters), req.kind == .object {
            if params.isEmpty { params = Dictionary(minimumCapacity: 8) }
            var it = req.members()
            while let m = try it.next() {
                try requestResource(
                    service: event.action.service, operation: event.action.operation, m, into: &list, &ctx)
                guard params.count < Limits.maxParameters, m.value.kind != .null else { continue }
                let key = try path(m.key, &ctx)
                var value = m.value
                if value.kind == .object, m.key == "disableApiTermination", let v = try value.member("value") {
                    value = v  // Logstash's CloudTrail codec wraps this one parameter
                }
                params[key] = try parameterValue(value, &ctx)
            }
        }
        list.finish()
        event.resources = list.items
        event.parameters = params
    }

    static func put(_ params: inout [String: String], _ key: String, _ value: String) {
        guard params.count < Limits.maxParameters, !value.isEmpty else { return }
        params[key] = value
    }

    /// `requestParameters.<key>`, interned (keys repeat across events).
    static func path(_ key: JSONKey, _ ctx: inout DecodeContext) throws(JSONError) -> String {
        if !key.hasEscapes, key.bytes.count <= 128 {
            var ascii = true
            for c in key.bytes where c >= 0x80 { ascii = false }
            if ascii { return ctx.paths.intern(prefix: "requestParameters.", key.bytes) }
        }
        var k = try key.decoded()
        if k.utf8.count > 128 { k = String(decoding: Array(k.utf8.prefix(128)), as: UTF8.self) }
        return "requestParameters." + k
    }

    static func parameterValue(_ v: JSONValue, _ ctx: inout DecodeContext) throws(JSONError) -> String {
        switch v.kind {
        case .object, .array: return ctx.rawText(v, max: Limits.maxParameterValue)
        default: return try ctx.text(v, max: Limits.maxParameterValue)
        }
    }

    static func responseElements(
        _ v: JSONValue, _ operation: String, _ params: inout [String: String], _ list: inout ResourceList,
        _ ctx: inout DecodeContext
    ) throws(JSONError) {
        var it = v.members()
        while let m = try it.next() {
            let k = m.key
            if k == "accessKey" {
                let id = try ctx.text(try m.value.member("accessKeyId"), max: 128)
                put(&params, "responseElements.accessKey.accessKeyId", id)
                put(&params, "responseElements.accessKey.userName", try ctx.text(try m.value.member("userName")))
                list.add(.accessKey, id)
            } else if k == "credentials" {
                let id = try ctx.text(try m.value.member("accessKeyId"), max: 128)
                put(&params, "responseElements.credentials.accessKeyId", id)
            } else if k == "assumedRoleUser" {
                put(&params, "responseElements.assumedRoleUser.arn", try ctx.text(try m.value.member("arn")))
            } else if k == "subjectFromWebIdentityToken" {
                put(&params, "responseElements.subjectFromWebIdentityToken", try ctx.text(m.value))
            } else if k == "functionUrl" {
                put(&params, "responseElements.functionUrl", try ctx.text(m.value))
            } else if k == "authType" {
                put(&params, "responseElements.authType", try ctx.text(m.value, max: 64))
            } else if k == "ConsoleLogin" {
                put(&params, "responseElements.ConsoleLogin", try ctx.text(m.value, max: 64))
            } else if k == "instancesSet", operation == "RunInstances" {
                try launchedInstances(m.value, into: &list, &ctx)
            }
        }
    }
}
