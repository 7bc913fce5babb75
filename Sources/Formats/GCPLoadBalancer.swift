import ByteJSON
import EventModel

/// Google Cloud HTTP(S) load balancer request logs: Cloud Logging `LogEntry`s with an
/// `httpRequest` (`requestMethod`, `requestUrl`, `status`, `requestSize`, `responseSize`,
/// `userAgent`, `remoteIp`, `serverIp`, `latency` as `"0.052s"`) and `resource.type`
/// `http_load_balancer` (global external), `http_external_regional_lb_rule` or
/// `internal_http_lb_rule`, whose labels name the `backend_service_name`; `jsonPayload` is a
/// `LoadBalancerLogEntry` (`statusDetails`, Cloud Armor's `enforcedSecurityPolicy`).
///
/// Recognised by an `httpRequest` object together with a load-balancer resource type (or a
/// `LoadBalancerLogEntry` payload); it comes before `gcp-audit` in sniffing order, though an
/// audit entry (`protoPayload`) is never claimed here. The client is `remoteIp` (the
/// address the Google front end saw); the server is the URL's host, the backend the backend
/// service. Credentials are not logged: `authenticated` stays unknown.
enum GCPLoadBalancer: RecordFormat {
    static let name = "gcp-lb"

    static func sniff(_ f: RecordFields) -> Bool {
        guard let request = f.first("httpRequest"), request.kind == .object, !f.has("protoPayload") else {
            return false
        }
        if let r = f.first("resource"), r.kind == .object, let t = try? r.member("type"), t.kind == .string {
            let b = t.stringBytes
            if b.elementsEqual("http_load_balancer".utf8) || b.elementsEqual("http_external_regional_lb_rule".utf8)
                || b.elementsEqual("internal_http_lb_rule".utf8)
            {
                return true
            }
        }
        guard let p = f.first("jsonPayload"), p.kind == .object, let t = try? p.member("@type") else { return false }
        return t.kind == .string && t.stringBytes.count >= 20
            && t.stringBytes.suffix(20).elementsEqual("LoadBalancerLogEntry".utf8)
    }

    static func decode(_ f: RecordFields, context ctx: inout DecodeContext) throws(JSONError) -> DecodeResult {
        let h = f.first("httpRequest")
        var q = FrontDoorRequest()
        q.time = try SourceSupport.time(f.first("timestamp"), &ctx)
        q.timeText = try ctx.text(f.first("timestamp"), max: 40)
        guard q.time != nil else {
            return .failed(
                ctx.diagnostic(
                    .error, q.timeText.isEmpty ? DecodeCode.missingField : DecodeCode.badTime,
                    q.timeText.isEmpty
                        ? "load balancer LogEntry has no timestamp" : "timestamp '\(q.timeText)' is not a time"))
        }
        q.method = try ctx.text(SourceSupport.member(h, "requestMethod"), max: 16)
        q.target = try ctx.text(SourceSupport.member(h, "requestUrl"), max: 4096, intern: false)
        q.status = try ctx.text(SourceSupport.member(h, "status"), max: 8)
        q.bytesIn = try ctx.text(SourceSupport.member(h, "requestSize"), max: 20)
        q.bytesOut = try ctx.text(SourceSupport.member(h, "responseSize"), max: 20)
        q.userAgent = try ctx.text(SourceSupport.member(h, "userAgent"), max: 512)
        q.peer = try ctx.text(SourceSupport.member(h, "remoteIp"), max: 64)
        q.upstreamAddr = try ctx.text(SourceSupport.member(h, "serverIp"), max: 64)
        q.durationMs = latency(try ctx.text(SourceSupport.member(h, "latency"), max: 24))
        let labels = try SourceSupport.member(f.first("resource"), "labels")
        q.backend = try ctx.text(SourceSupport.member(labels, "backend_service_name"), max: 256)
        q.requestId = try ctx.text(f.first("insertId"), max: 128, intern: false)
        var result = FrontDoor.event(q, format: name, record: FrontDoor.span(f), &ctx)
        guard case .event = result else { return result }
        let payload = f.first("jsonPayload")
        let details = try ctx.text(SourceSupport.member(payload, "statusDetails"), max: 128)
        let project = try ctx.text(SourceSupport.member(labels, "project_id"), max: 128)
        let policy = try SourceSupport.member(payload, "enforcedSecurityPolicy")
        let outcome = try ctx.text(SourceSupport.member(policy, "outcome"), max: 32)
        result.modifyEvent { e in
            SourceSupport.put(&e.parameters, "status_details", details)
            SourceSupport.put(&e.parameters, "project", project)
            SourceSupport.put(&e.parameters, "security_policy_outcome", outcome)
        }
        return result
    }

    /// `"0.052s"` (a protobuf Duration) → 52 ms.
    static func latency(_ text: String) -> Int64? {
        guard text.hasSuffix("s") else { return nil }
        return AccessTime.secondsAsMillis(text: String(text.dropLast()))
    }
}
