import EventModel

/// AWS Application Load Balancer access logs: space-separated lines, quoted where a field can
/// hold spaces, delivered gzip to S3 under `AWSLogs/<account>/elasticloadbalancing/…`. Fields in
/// AWS's documented order (newer trailing fields are optional; later additions are ignored):
///
/// ```
/// type time elb client:port target:port request_processing_time target_processing_time
/// response_processing_time elb_status_code target_status_code received_bytes sent_bytes
/// "request" "user_agent" ssl_cipher ssl_protocol target_group_arn "trace_id" "domain_name"
/// "chosen_cert_arn" matched_rule_priority request_creation_time "actions_executed"
/// "redirect_url" "error_reason" "target:port_list" "target_status_code_list"
/// "classification" "classification_reason" conn_trace_id
/// ```
///
/// Recognised by a request type (`http`, `https`, `h2`, `grpcs`, `ws`, `wss`), an ISO-8601 time
/// and a quoted request. The client is `client:port` (the ALB appends it to
/// `X-Forwarded-For` itself, so it is the peer the ALB saw); the request is an absolute URL
/// (host taken from it, else from `domain_name`); the status is what the client got
/// (`elb_status_code`; the target's is `target_status`); duration is the sum of the three
/// processing times. `authenticated` is true when the rule ran an `authenticate` action and
/// then forwarded the request (the ALB checked an OIDC / Cognito login); otherwise unknown.
/// The target group ARN is the `backend` for the deployment mapping; `trace_id` the request id.
enum ALBAccessLog: TextFormat {
    static let name = "alb"

    static func sniff(_ l: TextLine) -> Bool {
        guard l.count >= 14, l.isQuoted(12), isType(l[0]) else { return false }
        return Timestamp.parse(l[1]) != nil
    }

    private static func isType(_ t: UnsafeRawBufferPointer) -> Bool {
        switch t.count {
        case 2: return (t[0] == 0x68 && t[1] == 0x32) || (t[0] == 0x77 && t[1] == 0x73)  // h2, ws
        case 3: return t.elementsEqual("wss".utf8)
        case 4: return t.elementsEqual("http".utf8)
        case 5: return t.elementsEqual("https".utf8) || t.elementsEqual("grpcs".utf8)
        default: return false
        }
    }

    static func decode(_ l: TextLine, context ctx: inout DecodeContext) -> DecodeResult {
        var q = FrontDoorRequest()
        q.time = Timestamp.parse(l[1])
        q.timeText = l.text(1, &ctx, max: 40)
        q.peer = l.text(3, &ctx, max: 64)
        q.upstreamAddr = l.text(4, &ctx, max: 64)
        q.durationMs = duration(l)
        q.status = l.text(8, &ctx, max: 8)
        q.bytesIn = l.text(10, &ctx, max: 20)
        q.bytesOut = l.text(11, &ctx, max: 20)
        (q.method, q.target) = NginxAccessLog.request(l[12], &ctx)
        q.userAgent = l.text(13, &ctx, max: 512)
        q.backend = l.text(16, &ctx, max: 256)
        q.requestId = l.text(17, &ctx, max: 128)
        if l.count > 18 { q.host = l.text(18, &ctx, max: 253) }
        if l.count > 22 {
            let actions = l.text(22, &ctx, max: 128)
            if actions.contains("authenticate") && actions.contains("forward") { q.authenticated = true }
        }
        var result = FrontDoor.event(q, format: name, record: l.bytes, &ctx)
        result.modifyEvent { e in
            SourceSupport.put(&e.parameters, "target_status", l.text(9, &ctx, max: 8))
            SourceSupport.put(&e.parameters, "load_balancer", l.text(2, &ctx, max: 256))
            if l.count > 24 { SourceSupport.put(&e.parameters, "error_reason", l.text(24, &ctx, max: 128)) }
            if l.count > 27 { SourceSupport.put(&e.parameters, "classification", l.text(27, &ctx, max: 64)) }
        }
        return result
    }

    /// Sum of the request, target and response processing times (seconds; -1 when the
    /// step did not happen), in milliseconds; nil when none is known.
    private static func duration(_ l: TextLine) -> Int64? {
        var total: Int64 = 0
        var any = false
        for i in 5...7 {
            if let ms = AccessTime.secondsAsMillis(l[i]) {
                total += ms
                any = true
            }
        }
        return any ? total : nil
    }
}
