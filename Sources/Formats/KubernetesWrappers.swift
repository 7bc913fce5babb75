import ByteJSON
import EventModel

/// Kubernetes audit events carried as an escaped JSON string by the managed services' log
/// exports. The string is decoded with ByteJSON and parsed as a `KubernetesAudit` record;
/// the wrapper's fields fill in what the audit event cannot say (cluster, account, region,
/// time).
///
/// EKS control-plane logs through CloudWatch Logs (a subscription / Firehose / Logs Insights
/// export line): `{"message":"<escaped audit JSON>","logGroup":"/aws/eks/<cluster>/cluster",
/// "logStream":"kube-apiserver-audit-…","owner":"<account>","timestamp":…}`. Only `message`
/// is needed; `logGroup` gives the cluster and `owner` the AWS account. A line that is the raw
/// audit event is a `KubernetesAudit` record already.
enum EKSAuditMessage: RecordFormat {
    static let name = "kubernetes-audit-cloudwatch"

    static func sniff(_ f: RecordFields) -> Bool {
        guard let m = f.first("message"), m.kind == .string else { return false }
        let b = m.stringBytes
        guard b.first == 0x7B else { return false }  // `{`
        return contains(b, "audit.k8s.io/")
    }

    static func decode(_ f: RecordFields, context ctx: inout DecodeContext) throws(JSONError) -> DecodeResult {
        var r = K8sRequest()
        let group = try ctx.text(f.first("logGroup"))
        r.cluster = clusterName(logGroup: group)
        r.account = try ctx.text(f.first("owner"), max: 64)
        r.time = try SourceSupport.time(f.first("timestamp"), &ctx) ?? 0
        guard let message = f.first("message") else {
            return .failed(ctx.diagnostic(.error, DecodeCode.missingField, "no message"))
        }
        return SourceSupport.nested(message, &ctx, what: "the audit event in `message`") {
            (nested: RecordFields, c: inout DecodeContext) throws(JSONError) -> DecodeResult in
            try KubernetesAudit.decode(nested, into: r, &c)
        }
    }

    /// `<cluster>` of `/aws/eks/<cluster>/cluster`; "" for other groups.
    static func clusterName(logGroup: String) -> String {
        let parts = logGroup.split(separator: "/", omittingEmptySubsequences: true)
        guard parts.count == 4, parts[0] == "aws", parts[1] == "eks", parts[3] == "cluster" else { return "" }
        return String(parts[2])
    }

    /// Byte search (the needle has no characters that JSON escapes).
    static func contains(_ hay: UnsafeRawBufferPointer, _ needle: StaticString) -> Bool {
        let n = needle.utf8CodeUnitCount
        guard hay.count >= n else { return false }
        let p = needle.utf8Start
        var i = 0
        while i <= hay.count - n {
            if hay[i] == p[0] {
                var k = 1
                while k < n, hay[i + k] == p[k] { k += 1 }
                if k == n { return true }
            }
            i += 1
        }
        return false
    }
}

/// A CloudWatch Logs subscription batch, as a subscription filter delivers it to Lambda,
/// Kinesis or Firehose (Firehose to S3 writes the batches back to back, gzipped):
/// `{"messageType":"DATA_MESSAGE","owner":"<account>","logGroup":"…","logStream":"…",
/// "subscriptionFilters":[…],"logEvents":[{"id":…,"timestamp":…,"message":"<escaped JSON>"},…]}`.
/// Each `logEvents[].message` is decoded as a record of its own: a CloudTrail event (a trail
/// sent to CloudWatch Logs), or a Kubernetes audit event of an EKS cluster, which gets its
/// cluster from `logGroup` (`/aws/eks/<cluster>/cluster`) and its account from `owner`.
/// A `CONTROL_MESSAGE` (the subscription's health check) is skipped with a note. At most
/// `maxEvents` log events are read from one batch (CloudWatch sends at most 10,000).
enum CloudWatchBatch: RecordFormat {
    static let name = "cloudwatch-batch"
    /// Log events read from one batch; the rest are reported and skipped.
    static let maxEvents = 10_000

    static func sniff(_ f: RecordFields) -> Bool { f.has("logEvents") && f.has("messageType") }

    static func decode(_ f: RecordFields, context ctx: inout DecodeContext) throws(JSONError) -> DecodeResult {
        if try ctx.text(f.first("messageType"), max: 64) == "CONTROL_MESSAGE" {
            return .skipped(
                ctx.diagnostic(.note, DecodeCode.unsupportedEvent, "CloudWatch Logs control message (no log events)"))
        }
        guard let list = f.first("logEvents"), list.kind == .array else {
            return .failed(ctx.diagnostic(.error, DecodeCode.missingField, "logEvents is not an array"))
        }
        var r = K8sRequest()
        r.cluster = EKSAuditMessage.clusterName(logGroup: try ctx.text(f.first("logGroup")))
        r.account = try ctx.text(f.first("owner"), max: 64)
        var out: [DecodeResult] = []
        var it = list.elements()
        while let e = try it.next() {
            guard out.count < maxEvents else {
                out.append(
                    .failed(
                        ctx.diagnostic(
                            .error, DecodeCode.syntax, "batch holds more than \(maxEvents) log events; the rest skipped"
                        )))
                break
            }
            out.append(try logEvent(e, index: out.count, r, &ctx))
        }
        return .batch(out)
    }

    /// One `logEvents[]` element: its `message` decoded as a record.
    private static func logEvent(
        _ e: JSONValue, index: Int, _ k8s: K8sRequest, _ ctx: inout DecodeContext
    ) throws(JSONError) -> DecodeResult {
        guard let message = try SourceSupport.member(e, "message"), message.kind == .string else {
            return .failed(ctx.diagnostic(.error, DecodeCode.missingField, "logEvents[\(index)] has no message string"))
        }
        var request = k8s
        request.time = try SourceSupport.time(try SourceSupport.member(e, "timestamp"), &ctx) ?? 0
        return SourceSupport.nested(message, &ctx, what: "logEvents[\(index)].message") {
            (nested: RecordFields, c: inout DecodeContext) throws(JSONError) -> DecodeResult in
            if KubernetesAudit.sniff(nested) { return try KubernetesAudit.decode(nested, into: request, &c) }
            if sniff(nested) {
                return .failed(c.diagnostic(.error, DecodeCode.unknownFormat, "a batch inside a batch's message"))
            }
            return try RecordDecoder.dispatch(nested, &c)
        }
    }
}

/// AKS control-plane logs through Azure diagnostic settings: records of category `kube-audit`
/// or `kube-audit-admin` inside a `{"records":[…]}` document:
/// `{"time":…,"resourceId":"/SUBSCRIPTIONS/<sub>/…/MANAGEDCLUSTERS/<cluster>","category":"kube-audit",
///   "properties":{"log":"<escaped audit JSON>","pod":…,"stream":…}}`. The subscription becomes
/// the account and the cluster comes from the resource id (both lower-cased).
enum AKSAudit: RecordFormat {
    static let name = "kubernetes-audit-aks"

    static func sniff(_ f: RecordFields) -> Bool {
        guard let c = f.first("category"), c.kind == .string, f.has("properties") else { return false }
        let b = c.stringBytes
        return b.elementsEqual("kube-audit".utf8) || b.elementsEqual("kube-audit-admin".utf8)
    }

    static func decode(_ f: RecordFields, context ctx: inout DecodeContext) throws(JSONError) -> DecodeResult {
        var r = K8sRequest()
        let resourceId = SourceSupport.lower(try ctx.text(f.first("resourceId"), max: 1024))
        r.account = AzureActivity.subscription(resourceId)
        r.cluster = AzureActivity.segment(after: "managedclusters", in: resourceId)
        r.time = try SourceSupport.time(f.first("time"), &ctx) ?? 0
        guard let log = try SourceSupport.member(f.first("properties"), "log"), log.kind == .string else {
            return .failed(
                ctx.diagnostic(.error, DecodeCode.missingField, "AKS kube-audit record has no properties.log string"))
        }
        return SourceSupport.nested(log, &ctx, what: "the audit event in `properties.log`") {
            (nested: RecordFields, c: inout DecodeContext) throws(JSONError) -> DecodeResult in
            try KubernetesAudit.decode(nested, into: r, &c)
        }
    }
}
