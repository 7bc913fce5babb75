import ByteJSON
import EventModel

/// GKE's Kubernetes audit log: Cloud Audit Log entries with `serviceName: "k8s.io"`, decoded
/// as Kubernetes events (provider `kubernetes`, see `Kubernetes`) rather than GCP ones, so that
/// the Kubernetes detectors and baselines see one vocabulary whatever the cluster runs on.
///
/// - `methodName` `io.k8s.<group>.<version>.<resource>[.<subresource>].<verb>`
///   (`io.k8s.core.v1.secrets.get`, `io.k8s.core.v1.pods.exec.create`) gives verb, resource
///   and subresource; `resourceName` (`core/v1/namespaces/NS/secrets/NAME`,
///   `rbac.authorization.k8s.io/v1/clusterrolebindings/NAME`) gives group, version,
///   namespace and name.
/// - `authenticationInfo.principalEmail` is the Kubernetes username (`system:serviceaccount:…`
///   for service accounts); the first principal of `serviceAccountDelegationInfo`, when
///   present, is recorded as the impersonator.
/// - `status.code` (gRPC) becomes the HTTP status (7 → 403, 16 → 401, 5 → 404, …).
/// - `protoPayload.request` is the request object; `insertId` the event id; account =
///   `resource.labels.project_id`, region = `resource.labels.location`, cluster =
///   `resource.labels.cluster_name`.
enum GKEAudit {
    static func decode(_ e: GCPAudit.Entry, time: Int64, _ ctx: inout DecodeContext) throws(JSONError)
        -> DecodeResult
    {
        var r = K8sRequest()
        r.time = time
        let place = try GCPAudit.location(e, &ctx)
        r.account = place.account
        r.region = place.region
        r.cluster = try ctx.text(try SourceSupport.member(e.resource, "labels", "cluster_name"), max: 128)
        try method(try ctx.text(e.methodName, max: 256), into: &r)
        path(try ctx.text(e.resourceName, max: 1024, intern: false), into: &r)
        let auth = try GCPIdentity.read(e.authenticationInfo, account: r.account, &ctx)
        if !auth.impersonator.isEmpty {
            r.username = auth.impersonator
            r.impersonatedUser = auth.email
        } else {
            r.username = auth.email
        }
        r.source = try GCPAudit.callerSource(e.requestMetadata, &ctx)
        r.userAgent = try SourceSupport.userAgent(
            try SourceSupport.member(e.requestMetadata, "callerSuppliedUserAgent"), &ctx)
        if let code = try SourceSupport.member(e.status, "code")?.lenientInt64, code != 0 {
            r.statusCode = GCPAudit.httpStatus(code)
            r.statusMessage = try ctx.text(try SourceSupport.member(e.status, "message"), max: 256, intern: false)
        }
        if let request = e.request { r.requestObject = try CloudTrail.parameterValue(request, &ctx) }
        r.auditID = try ctx.text(e.insertId, max: 128, intern: false)
        return Kubernetes.event(r, &ctx)
    }

    /// Verb, resource and subresource from `io.k8s.<group…>.<version>.<resource>[.<sub>].<verb>`.
    static func method(_ m: String, into r: inout K8sRequest) throws(JSONError) {
        var parts = m.split(separator: ".").map(String.init)
        if parts.count >= 2, parts[0] == "io", parts[1] == "k8s" { parts.removeFirst(2) }
        guard let verb = parts.popLast() else { return }
        r.verb = verb
        guard let v = parts.firstIndex(where: isVersion) else {
            if let last = parts.last { r.resource = last }
            return
        }
        let group = parts[..<v].joined(separator: ".")
        r.apiGroup = group == "core" ? "" : group
        r.apiVersion = parts[v]
        let rest = parts[(v + 1)...]
        if let first = rest.first { r.resource = first }
        if rest.count > 1 { r.subresource = rest.dropFirst().joined(separator: "/") }
    }

    /// `v1`, `v1beta1`, `v2alpha1`.
    static func isVersion(_ s: String) -> Bool {
        let u = Array(s.utf8)
        guard u.count >= 2, u[0] == UInt8(ascii: "v"), u[1] >= 0x30, u[1] <= 0x39 else { return false }
        return u.allSatisfy { ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x61 && $0 <= 0x7A) }
    }

    /// Namespace and name (and the exact group) from `<group>/<version>/[namespaces/NS/]<resource>[/NAME[/SUB]]`.
    static func path(_ name: String, into r: inout K8sRequest) {
        let segs = name.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard segs.count >= 3 else { return }
        r.apiGroup = segs[0] == "core" ? "" : segs[0]
        r.apiVersion = segs[1]
        var rest = Array(segs[2...])
        if rest.count >= 3, rest[0] == "namespaces", r.resource != "namespaces" {
            r.namespace = rest[1]
            rest.removeFirst(2)
        }
        if r.resource.isEmpty, let first = rest.first { r.resource = first }
        if rest.count >= 2 { r.name = rest[1] }
    }
}
