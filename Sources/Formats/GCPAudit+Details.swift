import ByteJSON
import EventModel

/// `authenticationInfo` of a Cloud Audit Log entry (see `GCPAudit` for the mapping).
struct GCPIdentity {
    var identity = Identity.unknown
    var email = ""
    var subject = ""
    var keyName = ""
    /// Raw JSON of `serviceAccountDelegationInfo`.
    var delegation = ""
    /// First principal of the delegation chain: who impersonated.
    var impersonator = ""

    static func read(_ v: JSONValue?, account: String, _ ctx: inout DecodeContext) throws(JSONError) -> GCPIdentity {
        var g = GCPIdentity()
        if let v, v.kind == .object {
            var it = v.members()
            while let m = try it.next() {
                if m.key == "principalEmail" {
                    g.email = try ctx.text(m.value)
                } else if m.key == "principalSubject" {
                    g.subject = try ctx.text(m.value)
                } else if m.key == "serviceAccountKeyName" {
                    g.keyName = try ctx.text(m.value)
                } else if m.key == "serviceAccountDelegationInfo", m.value.kind == .array {
                    g.delegation = ctx.rawText(m.value, max: 4096)
                    g.impersonator = try firstDelegate(m.value, &ctx)
                }
            }
        }
        g.identity = make(g, account: account, &ctx)
        return g
    }

    /// `principalEmail` of the first entry (`firstPartyPrincipal`), else its `principalSubject`.
    static func firstDelegate(_ chain: JSONValue, _ ctx: inout DecodeContext) throws(JSONError) -> String {
        var it = chain.elements()
        guard let first = try it.next(), first.kind == .object else { return "" }
        if let email = try SourceSupport.member(first, "firstPartyPrincipal", "principalEmail") {
            return try ctx.text(email)
        }
        return try ctx.text(try SourceSupport.member(first, "principalSubject"))
    }

    static func make(_ g: GCPIdentity, account: String, _ ctx: inout DecodeContext) -> Identity {
        let principal = !g.email.isEmpty ? g.email : g.subject
        guard !principal.isEmpty else {
            return Identity(key: "gcp:anonymous", type: .anonymous, accountId: account, displayName: "anonymous")
        }
        let type: IdentityType =
            g.email.isEmpty
            ? .unknown
            : g.email.hasSuffix(".gserviceaccount.com") ? .serviceAccount : .user
        var p = principal
        let key = p.withUTF8 { ctx.strings.intern(prefix: "gcp:", UnsafeRawBufferPointer($0)) }
        var id = Identity(key: key, type: type, accountId: account, displayName: principal)
        if !g.keyName.isEmpty {
            id.accessKeyId = CloudTrail.lastComponent(g.keyName)
            id.keyKind = .longLived
            id.arn = g.keyName
        }
        return id
    }
}

extension GCPAudit {
    /// Resources and parameters.
    static func details(
        _ e: Entry, service: String, auth: GCPIdentity, logName: String, into event: inout Event,
        _ ctx: inout DecodeContext
    ) throws(JSONError) {
        var p: [String: String] = Dictionary(minimumCapacity: 10)
        var list = ResourceList()
        let resourceName = try ctx.text(e.resourceName, max: Limits.maxIdentifier, intern: false)
        if !resourceName.isEmpty {
            SourceSupport.put(&p, "protoPayload.resourceName", resourceName)
            let kind = resourceKind(service: service, resourceName)
            list.add(kind, kind == .secret ? secretName(resourceName) : resourceName)
        }
        if let response = e.response, response.kind == .object, let name = try SourceSupport.member(response, "name") {
            let n = try ctx.text(name, max: Limits.maxIdentifier, intern: false)
            SourceSupport.put(&p, "protoPayload.response.name", n)
            if SourceSupport.contains(n, "/keys/") { list.add(.accessKey, n) }
        }
        try SourceSupport.putRaw(&p, "protoPayload.request", e.request, &ctx)
        SourceSupport.put(
            &p, "protoPayload.status.message",
            try ctx.text(try SourceSupport.member(e.status, "message"), max: 512, intern: false))
        if let authz = e.authorizationInfo, authz.kind == .array {
            var it = authz.elements()
            if let first = try it.next() {
                SourceSupport.put(
                    &p, "protoPayload.authorizationInfo.permission",
                    try ctx.text(try SourceSupport.member(first, "permission"), max: 128))
            }
        }
        SourceSupport.put(&p, "authenticationInfo.principalEmail", auth.email)
        SourceSupport.put(&p, "authenticationInfo.principalSubject", auth.subject)
        SourceSupport.put(&p, "authenticationInfo.serviceAccountKeyName", auth.keyName)
        SourceSupport.put(&p, "authenticationInfo.serviceAccountDelegationInfo", auth.delegation)
        SourceSupport.put(&p, "impersonator.principalEmail", auth.impersonator)
        SourceSupport.put(&p, "logName", logName)
        SourceSupport.put(&p, "resource.type", try ctx.text(try SourceSupport.member(e.resource, "type"), max: 64))
        event.resources = list.items
        event.parameters = p
    }

    /// Kind of the resource named by `resourceName`.
    static func resourceKind(service: String, _ name: String) -> ResourceKind {
        switch service {
        case "secretmanager": return SourceSupport.contains(name, "/secrets/") ? .secret : .other
        case "iam", "iamcredentials":
            if SourceSupport.contains(name, "/keys/") { return .accessKey }
            if SourceSupport.contains(name, "/serviceAccounts/") { return .serviceAccount }
            if SourceSupport.contains(name, "/roles/") { return .role }
            return .other
        case "cloudkms": return SourceSupport.contains(name, "/cryptoKeys/") ? .kmsKey : .other
        case "storage":
            return SourceSupport.contains(name, "/objects/")
                ? .object : SourceSupport.contains(name, "/buckets/") ? .bucket : .other
        case "compute": return SourceSupport.contains(name, "/instances/") ? .instance : .other
        case "cloudfunctions": return SourceSupport.contains(name, "/functions/") ? .function : .other
        case "logging": return SourceSupport.contains(name, "/sinks/") ? .trail : .other
        default: return .other
        }
    }

    /// `projects/P/secrets/NAME/versions/V` → `projects/P/secrets/NAME`.
    static func secretName(_ name: String) -> String {
        let u = Array(name.utf8)
        let v = Array("/versions/".utf8)
        guard u.count > v.count else { return name }
        for i in 0...(u.count - v.count) where u[i] == 0x2F && u[i..<(i + v.count)].elementsEqual(v) {
            return String(decoding: u[..<i], as: UTF8.self)
        }
        return name
    }
}
