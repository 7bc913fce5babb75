import ByteJSON
import EventModel

/// Kubernetes API server audit events (`{"kind":"Event","apiVersion":"audit.k8s.io/v1",…}`,
/// also `v1beta1`), one per line as the log backend and managed services write them. The
/// mapping onto `Event` is documented on `Kubernetes`.
///
/// Stages: the API server logs a request at `RequestReceived`, `ResponseStarted` (long-running
/// requests), `ResponseComplete` and `Panic`. Only the final stages (`ResponseComplete`,
/// `Panic`, or a record without `stage`) become events, so a request counts once and carries
/// its response status; the others are `omitted` (`decode.k8s_non_final_stage`), counted in the
/// scan summary as notes, never printed. `auditID` is the event id, so a request delivered twice is
/// also dropped by the engine's duplicate filter.
///
/// Time: `stageTimestamp`, else `requestReceivedTimestamp`, else `timestamp` (v1beta1), else
/// the wrapper's time; none → `decode.missing_field`.
enum KubernetesAudit: RecordFormat {
    static let name = "kubernetes-audit"

    static func sniff(_ f: RecordFields) -> Bool {
        if let api = f.first("apiVersion"), api.kind == .string, api.stringBytes.starts(with: "audit.k8s.io/".utf8) {
            return true
        }
        // Trimmed exports without kind/apiVersion.
        return f.has("auditID") && f.has("verb") && (f.has("objectRef") || f.has("requestURI"))
    }

    static func decode(_ f: RecordFields, context ctx: inout DecodeContext) throws(JSONError) -> DecodeResult {
        try decode(f, into: K8sRequest(), &ctx)
    }

    static let table = JSONKeyTable([
        "auditID", "stage", "requestURI", "verb", "user", "impersonatedUser", "sourceIPs", "userAgent",
        "objectRef", "responseStatus", "requestObject", "requestReceivedTimestamp", "stageTimestamp", "timestamp",
        "annotations",
    ])

    /// Decodes the members of an audit event; `r` carries what a wrapper already knows
    /// (cluster, account, region, a fallback time).
    static func decode(_ f: RecordFields, into r0: K8sRequest, _ ctx: inout DecodeContext) throws(JSONError)
        -> DecodeResult
    {
        var r = r0
        var stageTime: Int64?
        var receivedTime: Int64?
        var legacyTime: Int64?
        for m in f.members {
            guard let i = table.index(of: m.key), let v = SourceSupport.present(m.value) else { continue }
            switch i {
            case 0: r.auditID = try ctx.text(v, max: 128, intern: false)
            case 1:
                r.stage = try ctx.text(v, max: 32)
                if r.stage != "ResponseComplete" && r.stage != "Panic" { return .omitted(reason: OmitCode.k8sStage) }
            case 2: r.requestURI = try ctx.text(v, max: 1024, intern: false)
            case 3: r.verb = try ctx.text(v, max: 32)
            case 4: try user(v, &r.username, &r.groups, &ctx)
            case 5: try user(v, &r.impersonatedUser, &r.impersonatedGroups, &ctx)
            case 6: r.source = try SourceSupport.source(array: v, &ctx)
            case 7: r.userAgent = try SourceSupport.userAgent(v, &ctx)
            case 8: try objectRef(v, &r, &ctx)
            case 9: try responseStatus(v, &r, &ctx)
            case 10: r.requestObject = try CloudTrail.parameterValue(v, &ctx)
            case 11: receivedTime = try SourceSupport.time(v, &ctx)
            case 12: stageTime = try SourceSupport.time(v, &ctx)
            case 13: legacyTime = try SourceSupport.time(v, &ctx)
            default: try annotations(v, &r, &ctx)
            }
        }
        guard let time = stageTime ?? receivedTime ?? legacyTime ?? (r.time > 0 ? r.time : nil) else {
            return .failed(
                ctx.diagnostic(
                    .error, DecodeCode.missingField,
                    "Kubernetes audit event has no stageTimestamp, requestReceivedTimestamp or timestamp"))
        }
        r.time = time
        if r.stage == "Panic" { r.panicked = true }
        return Kubernetes.event(r, &ctx)
    }

    /// `{"username": …, "groups": […]}`.
    static func user(_ v: JSONValue, _ name: inout String, _ groups: inout String, _ ctx: inout DecodeContext)
        throws(JSONError)
    {
        var it = v.members()
        while let m = try it.next() {
            if m.key == "username" {
                name = try ctx.text(m.value)
            } else if m.key == "groups", m.value.kind == .array {
                groups = ctx.rawText(m.value, max: 2048)
            }
        }
    }

    static func objectRef(_ v: JSONValue, _ r: inout K8sRequest, _ ctx: inout DecodeContext) throws(JSONError) {
        var it = v.members()
        while let m = try it.next() {
            let k = m.key
            if k == "resource" {
                r.resource = try ctx.text(m.value, max: 128)
            } else if k == "subresource" {
                r.subresource = try ctx.text(m.value, max: 64)
            } else if k == "namespace" {
                r.namespace = try ctx.text(m.value, max: 253)
            } else if k == "name" {
                r.name = try ctx.text(m.value, max: 253)
            } else if k == "apiGroup" {
                r.apiGroup = try ctx.text(m.value, max: 128)
            } else if k == "apiVersion" {
                r.apiVersion = try ctx.text(m.value, max: 64)
            }
        }
    }

    static func responseStatus(_ v: JSONValue, _ r: inout K8sRequest, _ ctx: inout DecodeContext) throws(JSONError) {
        var it = v.members()
        while let m = try it.next() {
            if m.key == "code" {
                r.statusCode = Int(m.value.lenientInt64 ?? 0)
            } else if m.key == "reason" {
                r.statusReason = try ctx.text(m.value, max: 64)
            } else if m.key == "message" {
                r.statusMessage = try ctx.text(m.value, max: 256, intern: false)
            }
        }
    }

    static func annotations(_ v: JSONValue, _ r: inout K8sRequest, _ ctx: inout DecodeContext) throws(JSONError) {
        var it = v.members()
        while let m = try it.next() {
            if m.key == "authorization.k8s.io/decision" {
                r.decision = try ctx.text(m.value, max: 32)
            } else if m.key == "authorization.k8s.io/reason" {
                r.decisionReason = try ctx.text(m.value, max: 512, intern: false)
            }
        }
    }
}
