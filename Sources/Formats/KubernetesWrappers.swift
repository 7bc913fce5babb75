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

/// A CloudWatch Logs subscription batch (`{"messageType":"DATA_MESSAGE","logEvents":[…]}`)
/// holds many log events in one record. It is not split here: it is skipped with a
/// `decode.unsupported_event` warning telling the user to export `logEvents[].message` lines.
enum CloudWatchBatch: RecordFormat {
    static let name = "cloudwatch-batch"

    static func sniff(_ f: RecordFields) -> Bool { f.has("logEvents") && f.has("messageType") }

    static func decode(_ f: RecordFields, context ctx: inout DecodeContext) throws(JSONError) -> DecodeResult {
        .skipped(
            ctx.diagnostic(
                .warning, DecodeCode.unsupportedEvent,
                "CloudWatch Logs subscription batch (logEvents[]) not split; write one logEvents[].message per line"))
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
