import ByteJSON
import EventModel

/// Google Cloud Audit Logs: a `LogEntry` whose `protoPayload` is an `AuditLog`
/// (`"@type": "type.googleapis.com/google.cloud.audit.AuditLog"`), one per line as log sinks
/// to Cloud Storage, Pub/Sub or BigQuery exports write them. Entries with
/// `serviceName: "k8s.io"` are GKE's Kubernetes audit log and decode as Kubernetes events
/// (see `GKEAudit`). Other payload types are skipped (`decode.unsupported_event`).
///
/// Mapping (provider `gcp`):
/// - identity: `authenticationInfo.principalEmail`, key `gcp:<email>`; `…gserviceaccount.com`
///   → `ServiceAccount`, other e-mails → `User`; only `principalSubject` → key
///   `gcp:<subject>`, type `Unknown`; no principal at all (public access) → `gcp:anonymous`,
///   `Anonymous`. A service-account key (`serviceAccountKeyName`) is the access key id
///   (`long_lived`). `serviceAccountDelegationInfo` (impersonation chain) is kept whole in
///   `authenticationInfo.serviceAccountDelegationInfo`; its first principal — the caller who
///   impersonated — in `impersonator.principalEmail`.
/// - action: service = `serviceName` without `.googleapis.com` (`secretmanager`, `iam`),
///   operation = `methodName` as logged
///   (`google.cloud.secretmanager.v1.SecretManagerService.AccessSecretVersion`,
///   `v1.compute.instances.insert`): the last component alone is ambiguous for the
///   `v1.compute.*` style. `readOnly` when the last component starts with Get, List, Access,
///   Search, Lookup, Read, Describe, TestIamPermissions (any case). Category `data` for the
///   `data_access` log.
/// - outcome: `status.code` ≠ 0 → gRPC name as errorCode, with 7 →
///   `Forbidden.PERMISSION_DENIED` and 16 → `Unauthorized.UNAUTHENTICATED` so that
///   `Outcome.isAccessDenied` holds; message from `status.message`.
/// - account: `resource.labels.project_id`, else the `projects/<id>` of `logName`
///   (`organizations/<id>` / `folders/<id>` when the entry is not a project's);
///   region: `resource.labels.location|region|zone`, else `resourceLocation.currentLocations[0]`.
/// - source: `requestMetadata.callerIp` (`callerIP` also read), user agent:
///   `callerSuppliedUserAgent`; event id: `insertId`; time: `timestamp`, else `receiveTimestamp`.
/// - resources: `resourceName`; Secret Manager secrets → `secret` `projects/P/secrets/NAME`
///   (version dropped, so distinct secrets count as such), IAM service accounts →
///   `service_account`, a created service-account key (`response.name`) → `access_key`;
///   others `other`.
/// - parameters: `protoPayload.resourceName`, `protoPayload.request` (JSON),
///   `protoPayload.response.name`, `protoPayload.status.message`,
///   `protoPayload.authorizationInfo.permission` (first), `authenticationInfo.*`, `logName`,
///   `resource.type`.
enum GCPAudit: RecordFormat {
    static let name = "gcp-audit"

    static func sniff(_ f: RecordFields) -> Bool {
        guard let p = f.first("protoPayload") else { return false }
        return p.kind == .object
    }

    /// Top-level LogEntry members and the AuditLog members the decoder reads.
    struct Entry {
        static let top = JSONKeyTable([
            "protoPayload", "insertId", "logName", "resource", "timestamp", "receiveTimestamp",
        ])
        static let payload = JSONKeyTable([
            "@type", "authenticationInfo", "requestMetadata", "methodName", "serviceName", "resourceName", "status",
            "request", "response", "resourceLocation", "authorizationInfo",
        ])
        var protoPayload, insertId, logName, resource, timestamp, receiveTimestamp: JSONValue?
        var type, authenticationInfo, requestMetadata, methodName, serviceName, resourceName: JSONValue?
        var status, request, response, resourceLocation, authorizationInfo: JSONValue?

        init(_ f: RecordFields) throws(JSONError) {
            for m in f.members {
                guard let i = Entry.top.index(of: m.key), let v = SourceSupport.present(m.value) else { continue }
                switch i {
                case 0: protoPayload = protoPayload ?? v
                case 1: insertId = insertId ?? v
                case 2: logName = logName ?? v
                case 3: resource = resource ?? v
                case 4: timestamp = timestamp ?? v
                default: receiveTimestamp = receiveTimestamp ?? v
                }
            }
            guard let p = protoPayload, p.kind == .object else { return }
            var it = p.members()
            while let m = try it.next() {
                guard let i = Entry.payload.index(of: m.key), let v = SourceSupport.present(m.value) else { continue }
                set(i, v)
            }
        }

        // swift-format-ignore
        private mutating func set(_ i: Int, _ v: JSONValue) {
            switch i {
            case 0: type = type ?? v
            case 1: authenticationInfo = authenticationInfo ?? v
            case 2: requestMetadata = requestMetadata ?? v
            case 3: methodName = methodName ?? v
            case 4: serviceName = serviceName ?? v
            case 5: resourceName = resourceName ?? v
            case 6: status = status ?? v
            case 7: request = request ?? v
            case 8: response = response ?? v
            case 9: resourceLocation = resourceLocation ?? v
            default: authorizationInfo = authorizationInfo ?? v
            }
        }
    }

    static func decode(_ f: RecordFields, context ctx: inout DecodeContext) throws(JSONError) -> DecodeResult {
        let e = try Entry(f)
        let type = try ctx.text(e.type, max: 128)
        if !type.isEmpty && !type.hasSuffix("google.cloud.audit.AuditLog") {
            return .skipped(
                ctx.diagnostic(
                    .note, DecodeCode.unsupportedEvent, "GCP log entry with payload '\(type)' is not an audit log"))
        }
        var time = try SourceSupport.time(e.timestamp, &ctx)
        if time == nil { time = try SourceSupport.time(e.receiveTimestamp, &ctx) }
        guard let time else {
            return .failed(ctx.diagnostic(.error, DecodeCode.missingField, "GCP audit log entry has no timestamp"))
        }
        let service = try ctx.text(e.serviceName, max: 128)
        if service == "k8s.io" { return try GKEAudit.decode(e, time: time, &ctx) }
        guard let method = e.methodName else {
            return .failed(ctx.diagnostic(.error, DecodeCode.missingField, "GCP audit log entry has no methodName"))
        }
        let place = try location(e, &ctx)
        let auth = try GCPIdentity.read(e.authenticationInfo, account: place.account, &ctx)
        let operation = try ctx.text(method, max: 160)
        let logName = try ctx.text(e.logName, max: 256)
        let action = Action(
            service: shortService(service, &ctx), operation: operation, readOnly: isReadOnly(operation),
            category: SourceSupport.contains(logName, "data_access") ? .data : .management)
        let source = try callerSource(e.requestMetadata, &ctx)
        let userAgent = try SourceSupport.userAgent(
            try SourceSupport.member(e.requestMetadata, "callerSuppliedUserAgent"), &ctx)
        let outcome = try outcome(e.status, &ctx)
        // Built inside the result and finished in place (see `CloudTrail.decode`): no copy of the event.
        var result = DecodeResult.event(
            Event(
                time: time, provider: .gcp, eventSource: service, account: place.account, region: place.region,
                identity: auth.identity, action: action, source: source, userAgent: userAgent, outcome: outcome,
                origin: ctx.origin))
        try result.tryModifyEvent { event throws(JSONError) in
            event.eventId = try ctx.text(e.insertId, max: 128, intern: false)
            if event.eventId.isEmpty { event.eventId = "\(ctx.origin.path)#\(ctx.origin.record)" }
            try details(e, service: action.service, auth: auth, logName: logName, into: &event, &ctx)
        }
        return result
    }

    /// Project (or organization / folder) and location of the entry.
    static func location(_ e: Entry, _ ctx: inout DecodeContext) throws(JSONError) -> (account: String, region: String)
    {
        let labels = try SourceSupport.member(e.resource, "labels")
        var account = try ctx.text(try SourceSupport.member(labels, "project_id"), max: 128)
        if account.isEmpty { account = parent(try ctx.text(e.logName, max: 256)) }
        var region = ""
        for key in ["location", "region", "zone"] where region.isEmpty {
            region = try ctx.text(try labelValue(labels, key), max: 64)
        }
        if region.isEmpty, let locs = try SourceSupport.member(e.resourceLocation, "currentLocations") {
            var it = locs.elements()
            if let first = try it.next() { region = try ctx.text(first, max: 64) }
        }
        return (account, region)
    }

    private static func labelValue(_ labels: JSONValue?, _ key: String) throws(JSONError) -> JSONValue? {
        switch key {
        case "location": return try SourceSupport.member(labels, "location")
        case "region": return try SourceSupport.member(labels, "region")
        default: return try SourceSupport.member(labels, "zone")
        }
    }

    /// `projects/<id>/logs/…` → `<id>`; organizations and folders keep their kind as prefix.
    static func parent(_ logName: String) -> String {
        let parts = logName.split(separator: "/", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count >= 2, !parts[1].isEmpty else { return "" }
        switch parts[0] {
        case "projects": return String(parts[1])
        case "organizations": return "organizations/" + parts[1]
        case "folders": return "folders/" + parts[1]
        case "billingAccounts": return "billingAccounts/" + parts[1]
        default: return ""
        }
    }

    /// `secretmanager` from `secretmanager.googleapis.com`.
    static func shortService(_ s: String, _ ctx: inout DecodeContext) -> String {
        guard s.hasSuffix(".googleapis.com") else { return s }
        var t = String(s.dropLast(15))
        return t.withUTF8 { ctx.strings.intern(UnsafeRawBufferPointer($0)) }
    }

    private static let readPrefixes = [
        "get", "list", "access", "search", "lookup", "read", "describe", "testiampermissions", "aggregatedlist",
        "batchget", "query", "fetch", "view", "export",
    ]

    /// Read-only judged by the last component of the method name (byte-wise, case-insensitive).
    static func isReadOnly(_ method: String) -> Bool {
        var m = method
        return m.withUTF8 { b in
            var start = b.count
            while start > 0, b[start - 1] != 0x2E { start -= 1 }
            let last = UnsafeBufferPointer(rebasing: b[start...])
            for p in readPrefixes where last.count >= p.utf8.count {
                var ok = true
                for (i, c) in p.utf8.enumerated() where last[i] | 0x20 != c {
                    ok = false
                    break
                }
                if ok { return true }
            }
            return false
        }
    }

    static func callerSource(_ meta: JSONValue?, _ ctx: inout DecodeContext) throws(JSONError) -> Source {
        guard let meta else { return .unknown }
        var ip = try SourceSupport.member(meta, "callerIp")
        if ip == nil { ip = try SourceSupport.member(meta, "callerIP") }
        return SourceSupport.source(try ctx.text(ip, max: SourceAddress.maxRaw))
    }

    static let grpcNames = [
        "OK", "CANCELLED", "UNKNOWN", "INVALID_ARGUMENT", "DEADLINE_EXCEEDED", "NOT_FOUND", "ALREADY_EXISTS",
        "Forbidden.PERMISSION_DENIED", "RESOURCE_EXHAUSTED", "FAILED_PRECONDITION", "ABORTED", "OUT_OF_RANGE",
        "UNIMPLEMENTED", "INTERNAL", "UNAVAILABLE", "DATA_LOSS", "Unauthorized.UNAUTHENTICATED",
    ]

    /// The gRPC status as an outcome (see the type's documentation for the codes).
    static func outcome(_ status: JSONValue?, _ ctx: inout DecodeContext) throws(JSONError) -> Outcome {
        guard let code = try SourceSupport.member(status, "code")?.lenientInt64, code != 0 else { return .success }
        let name = code > 0 && code < grpcNames.count ? grpcNames[Int(code)] : "status.\(code)"
        let message = try ctx.text(try SourceSupport.member(status, "message"), max: 256, intern: false)
        return Outcome(errorCode: name, errorMessage: message)
    }

    /// The gRPC code of an entry as an HTTP status, for the Kubernetes mapping (GKE).
    static func httpStatus(_ code: Int64) -> Int {
        switch code {
        case 0: return 200
        case 3, 9, 11: return 400
        case 5: return 404
        case 6, 10: return 409
        case 7: return 403
        case 8: return 429
        case 16: return 401
        case 4: return 504
        case 14: return 503
        default: return 500
        }
    }
}
