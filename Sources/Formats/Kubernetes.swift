import ByteJSON
import EventModel

/// One Kubernetes API request as the audit sources describe it, whatever the wrapper (raw
/// audit event, EKS CloudWatch export, AKS diagnostic record, GKE Cloud Audit Log entry).
/// `Kubernetes.event(_:_:)` turns it into an `Event`; the mapping is documented there.
struct K8sRequest {
    var time: Int64 = 0
    var username = ""
    var groups = ""
    var impersonatedUser = ""
    var impersonatedGroups = ""
    var verb = ""
    var resource = ""
    var subresource = ""
    var namespace = ""
    var name = ""
    var apiGroup = ""
    var apiVersion = ""
    var requestURI = ""
    var source = Source.unknown
    var userAgent = UserAgent.empty
    /// HTTP status of the response; 0 when not logged.
    var statusCode = 0
    var statusReason = ""
    var statusMessage = ""
    /// Set for the `Panic` stage (the API server crashed handling the request).
    var panicked = false
    var auditID = ""
    var stage = ""
    var requestObject = ""
    var decision = ""
    var decisionReason = ""
    /// Cluster name when the wrapper says (EKS log group, AKS resource id, GKE labels).
    var cluster = ""
    /// AWS account, GCP project or Azure subscription when the wrapper says.
    var account = ""
    var region = ""
}

/// Kubernetes audit → `Event` (provider `kubernetes`, service `k8s`):
/// - identity: `user.username`, or `impersonatedUser.username` when the request was
///   impersonated (the effective identity; the impersonator goes to `impersonator.username`
///   and `impersonator.groups`). Key `k8s:<username>`. `system:serviceaccount:NS:NAME` →
///   `ServiceAccount`, `system:anonymous` → `Anonymous`, anything else (people, nodes,
///   control-plane components) → `User`. Display name: the username.
/// - action: operation `<verb> <resource>[/<subresource>]` (`get secrets`, `create pods/exec`,
///   `create clusterrolebindings`); requests without `objectRef` use the first two segments of
///   the URL path (`get /version`, `get /apis/metrics.k8s.io`). `readOnly` for get, list, watch.
///   The API group is not in the operation (resource names rarely clash across groups); it is
///   kept in `eventSource` (`k8s.io` for the core group) and in `objectRef.apiGroup`.
/// - outcome: `responseStatus.code` ≥ 400 → errorCode `Unauthorized` (401), `Forbidden` (403),
///   else `responseStatus.reason` or the HTTP reason (`NotFound`, `Conflict`, …); the `Panic`
///   stage → `Panic`. Message from `responseStatus.message`.
/// - resources: `objectRef` with a name: secrets → `k8s_secret` `NS/NAME`, serviceaccounts →
///   `service_account` `NS/NAME`, others → `other` `<resource>/NS/NAME` (`<resource>/NAME` when
///   cluster-scoped).
/// - parameters: `objectRef.namespace|name|resource|subresource|apiGroup|apiVersion`, `verb`,
///   `requestURI`, `stage`, `user.username`, `user.groups` (JSON), `impersonator.*`,
///   `requestObject` (JSON, when the audit level logged it), `responseStatus.code|reason`,
///   `annotations.authorization.k8s.io/decision|reason`, `cluster`.
enum Kubernetes {
    /// The event of a request, built inside its result (see `CloudTrail.decode`: returning a
    /// finished `var` made the optimizer copy it).
    static func event(_ r: K8sRequest, _ ctx: inout DecodeContext) -> DecodeResult {
        let effective = r.impersonatedUser.isEmpty ? r.username : r.impersonatedUser
        let identity = identity(effective, account: r.account, &ctx)
        if identity.key.isEmpty { ctx.missingIdentity("Kubernetes audit record has no user (user.username)") }
        let operation = operation(r, &ctx)
        let readOnly = r.verb == "get" || r.verb == "list" || r.verb == "watch"
        var result = DecodeResult.event(
            Event(
                time: r.time, provider: .kubernetes, eventSource: r.apiGroup.isEmpty ? "k8s.io" : r.apiGroup,
                account: r.account, region: r.region, identity: identity,
                action: Action(service: "k8s", operation: operation, readOnly: readOnly),
                source: r.source, userAgent: r.userAgent, outcome: outcome(r), origin: ctx.origin))
        let eventId = r.auditID.isEmpty ? "\(ctx.origin.path)#\(ctx.origin.record)" : r.auditID
        let resources = resources(r)
        let parameters = parameters(r)
        result.modifyEvent { event in
            event.eventId = eventId
            event.resources = resources
            event.parameters = parameters
        }
        return result
    }

    /// Identity of a Kubernetes username.
    static func identity(_ username: String, account: String, _ ctx: inout DecodeContext) -> Identity {
        guard !username.isEmpty else { return .unknown }
        let type: IdentityType
        if username.hasPrefix("system:serviceaccount:") {
            type = .serviceAccount
        } else if username == "system:anonymous" {
            type = .anonymous
        } else {
            type = .user
        }
        var u = username
        let key = u.withUTF8 { ctx.strings.intern(prefix: "k8s:", UnsafeRawBufferPointer($0)) }
        return Identity(key: key, type: type, accountId: account, displayName: username)
    }

    /// `<verb> <resource>[/<subresource>]`, or `<verb> <first two path segments>`.
    static func operation(_ r: K8sRequest, _ ctx: inout DecodeContext) -> String {
        let verb = r.verb.isEmpty ? "unknown" : r.verb
        var target: String
        if !r.resource.isEmpty {
            target = r.subresource.isEmpty ? r.resource : r.resource + "/" + r.subresource
        } else {
            target = urlPrefix(r.requestURI)
        }
        var text = SourceSupport.bounded(verb + " " + target, 160)
        return text.withUTF8 { ctx.strings.intern(UnsafeRawBufferPointer($0)) }
    }

    /// First two segments of a URL path without its query: `/apis/metrics.k8s.io/v1beta1?x` →
    /// `/apis/metrics.k8s.io`. Bounded, so that random URLs cannot mint unbounded operations.
    static func urlPrefix(_ uri: String) -> String {
        var path = Substring(uri)
        if let q = path.firstIndex(where: { $0 == "?" || $0 == "#" }) { path = path[..<q] }
        let segments = path.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: true)
        if segments.isEmpty { return "/" }
        return SourceSupport.bounded("/" + segments.prefix(2).joined(separator: "/"), 96)
    }

    static func outcome(_ r: K8sRequest) -> Outcome {
        let message = SourceSupport.bounded(r.statusMessage, 256)
        if r.panicked { return Outcome(errorCode: "Panic", errorMessage: message) }
        guard r.statusCode >= 400 else { return .success }
        return Outcome(errorCode: errorCode(r.statusCode, reason: r.statusReason), errorMessage: message)
    }

    /// `Unauthorized` / `Forbidden` for 401 / 403 (what `Outcome.isAccessDenied` recognises),
    /// else the logged reason, else the HTTP reason phrase, else the number.
    static func errorCode(_ code: Int, reason: String) -> String {
        switch code {
        case 401: return "Unauthorized"
        case 403: return "Forbidden"
        default: break
        }
        if !reason.isEmpty { return SourceSupport.bounded(reason, 64) }
        switch code {
        case 400: return "BadRequest"
        case 404: return "NotFound"
        case 405: return "MethodNotAllowed"
        case 409: return "Conflict"
        case 410: return "Gone"
        case 422: return "Invalid"
        case 429: return "TooManyRequests"
        case 500: return "InternalError"
        case 503: return "ServiceUnavailable"
        case 504: return "Timeout"
        default: return String(code)
        }
    }

    static func resources(_ r: K8sRequest) -> [Resource] {
        guard !r.name.isEmpty else { return [] }
        let scoped = r.namespace.isEmpty ? r.name : r.namespace + "/" + r.name
        let id = SourceSupport.bounded(scoped)
        switch r.resource {
        case "secrets": return [Resource(kind: .k8sSecret, id: id)]
        case "serviceaccounts": return [Resource(kind: .serviceAccount, id: id)]
        default: return [Resource(kind: .other, id: SourceSupport.bounded(r.resource + "/" + scoped))]
        }
    }

    static func parameters(_ r: K8sRequest) -> [String: String] {
        var p: [String: String] = Dictionary(minimumCapacity: 12)
        func put(_ k: String, _ v: String) { SourceSupport.put(&p, k, v) }
        put("verb", r.verb)
        put("objectRef.resource", r.resource)
        put("objectRef.subresource", r.subresource)
        put("objectRef.namespace", r.namespace)
        put("objectRef.name", r.name)
        put("objectRef.apiGroup", r.apiGroup)
        put("objectRef.apiVersion", r.apiVersion)
        put("requestURI", SourceSupport.bounded(r.requestURI, 1024))
        put("stage", r.stage)
        put("user.username", r.username)
        put("user.groups", r.groups)
        if !r.impersonatedUser.isEmpty {
            put("impersonator.username", r.username)
            put("impersonator.groups", r.groups)
            put("impersonatedUser.groups", r.impersonatedGroups)
        }
        if r.statusCode > 0 { put("responseStatus.code", String(r.statusCode)) }
        put("responseStatus.reason", r.statusReason)
        put("annotations.authorization.k8s.io/decision", r.decision)
        put("annotations.authorization.k8s.io/reason", SourceSupport.bounded(r.decisionReason, 512))
        put("cluster", r.cluster)
        put("requestObject", r.requestObject)
        return p
    }
}
