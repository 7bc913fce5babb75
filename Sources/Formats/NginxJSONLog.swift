import ByteJSON
import EventModel

/// nginx (and ingress-nginx) access logs written as JSON with `log_format … escape=json`.
/// There is no standard key set, so the common names are read (docs/sources.md gives the
/// recommended `log_format`):
/// - time: `time_iso8601`, `msec`, `time_local`, `time`, `timestamp`, `@timestamp`
/// - `remote_addr`, `remote_user`, `request` or `request_method` + `request_uri` (or `uri` +
///   `args`), `status`, `body_bytes_sent` (or `bytes_sent`), `request_length`, `request_time`,
///   `http_user_agent`, `http_x_forwarded_for`, `host` (or `http_host`, `server_name`),
///   `upstream_addr`, `proxy_upstream_name` (or `upstream_name`), `request_id` (or `req_id`)
/// - credentials: `has_auth` / `auth` (true/false, 1/0, yes/no) or `http_authorization`
///   (only its presence is used; the value is never kept): when one of them is logged,
///   `authenticated` is true or false; otherwise unknown (true with a `remote_user`).
///
/// Recognised by `remote_addr` and `status` together with `request` or `request_uri`.
enum NginxJSONLog: RecordFormat {
    static let name = "nginx-json"

    static func sniff(_ f: RecordFields) -> Bool {
        f.has("remote_addr") && f.has("status") && (f.has("request") || f.has("request_uri"))
    }

    enum Key: Int {
        case timeISO, msec, timeLocal, time, timestamp, atTimestamp, remoteAddr, remoteUser, request, method, uri
        case requestURI, args, status, bodyBytes, bytesSent, requestLength, requestTime, userAgent, xff
        case host, httpHost, serverName, upstreamAddr, upstreamName, proxyUpstream, requestId, reqId
        case hasAuth, auth, authorization
    }

    static let keys = JSONKeyTable([
        "time_iso8601", "msec", "time_local", "time", "timestamp", "@timestamp", "remote_addr", "remote_user",
        "request", "request_method", "uri", "request_uri", "args", "status", "body_bytes_sent", "bytes_sent",
        "request_length", "request_time", "http_user_agent", "http_x_forwarded_for", "host", "http_host",
        "server_name", "upstream_addr", "upstream_name", "proxy_upstream_name", "request_id", "req_id", "has_auth",
        "auth", "http_authorization",
    ])

    static func decode(_ f: RecordFields, context ctx: inout DecodeContext) throws(JSONError) -> DecodeResult {
        let values = try collect(f, &ctx)
        guard values.time != nil else {
            let text = values.timeText
            let why = text.isEmpty ? "has no time" : "time '\(text)' is not a time"
            return .failed(
                ctx.diagnostic(
                    .error, text.isEmpty ? DecodeCode.missingField : DecodeCode.badTime, "nginx JSON record \(why)"))
        }
        return FrontDoor.event(request(values, &ctx), format: name, record: FrontDoor.span(f), &ctx)
    }

    /// The known keys' values (bounded text; `-` read as empty), which were present, and the time.
    struct Values {
        var v = [String](repeating: "", count: keys.count)
        var present = [Bool](repeating: false, count: keys.count)
        var time: Int64?

        subscript(_ k: Key) -> String { v[k.rawValue] == "-" ? "" : v[k.rawValue] }

        /// The first time key that was logged, as written.
        var timeText: String {
            [Key.timeISO, .msec, .timeLocal, .time, .timestamp, .atTimestamp].lazy.map { self[$0] }.first {
                !$0.isEmpty
            } ?? ""
        }
    }

    static func collect(_ f: RecordFields, _ ctx: inout DecodeContext) throws(JSONError) -> Values {
        var r = Values()
        for m in f.members {
            guard let i = keys.index(of: m.key), let k = Key(rawValue: i), let value = SourceSupport.present(m.value)
            else { continue }
            r.present[i] = true
            switch k {
            case .timeISO, .msec, .time, .timestamp, .atTimestamp:
                if r.time == nil { r.time = try SourceSupport.time(value, &ctx) }
                r.v[i] = try ctx.text(value, max: 40)
            case .timeLocal:
                r.v[i] = try ctx.text(value, max: 40)
                if r.time == nil { r.time = AccessTime.commonLog(text: r.v[i]) }
            case .authorization:
                let t = try ctx.text(value, max: 8, intern: false)
                r.v[i] = t.isEmpty || t == "-" ? "" : "set"
            default:
                r.v[i] = try ctx.text(value, max: k == .request || k == .requestURI || k == .uri ? 4096 : 512)
            }
        }
        return r
    }

    static func request(_ r: Values, _ ctx: inout DecodeContext) -> FrontDoorRequest {
        var q = FrontDoorRequest()
        q.time = r.time
        q.timeText = r.timeText
        q.peer = r[.remoteAddr]
        q.principal = r[.remoteUser]
        if !r[.request].isEmpty {
            var line = r[.request]
            (q.method, q.target) = line.withUTF8 { NginxAccessLog.request(UnsafeRawBufferPointer($0), &ctx) }
        }
        if !r[.method].isEmpty { q.method = r[.method] }
        if !r[.requestURI].isEmpty {
            q.target = r[.requestURI]
        } else if q.target.isEmpty, !r[.uri].isEmpty {
            q.target = r[.uri] + (r[.args].isEmpty ? "" : "?" + r[.args])
        }
        q.status = r[.status]
        q.bytesOut = first(r[.bodyBytes], r[.bytesSent])
        q.bytesIn = r[.requestLength]
        q.durationMs = AccessTime.secondsAsMillis(text: r[.requestTime])
        q.userAgent = r[.userAgent]
        q.forwardedFor = r[.xff]
        q.host = first(r[.host], r[.httpHost], r[.serverName])
        q.upstreamAddr = r[.upstreamAddr]
        q.backend = first(r[.proxyUpstream], r[.upstreamName])
        q.requestId = first(r[.requestId], r[.reqId])
        q.authenticated = credentials(r.v, r.present)
        if q.authenticated == nil, !q.principal.isEmpty { q.authenticated = true }
        return q
    }

    /// What the credential markers say: nil when none is logged.
    static func credentials(_ v: [String], _ present: [Bool]) -> Bool? {
        for k in [Key.hasAuth, .auth] where present[k.rawValue] {
            return marker(v[k.rawValue], true, "", false)
        }
        return marker("", false, v[Key.authorization.rawValue], present[Key.authorization.rawValue])
    }

    /// A `has_auth`-style flag (true/false, 1/0, yes/no; any other non-empty value, such as a
    /// logged credential, counts as sent) or the presence of an `authorization` value
    /// (`set` when one was sent); nil when neither key is logged.
    static func marker(_ flag: String, _ hasFlag: Bool, _ authorization: String, _ hasAuthorization: Bool) -> Bool? {
        if hasFlag {
            switch SourceSupport.lower(flag) {
            case "true", "1", "yes", "y", "on": return true
            case "false", "0", "no", "n", "off", "", "-": return false
            default: return true
            }
        }
        return hasAuthorization ? authorization == "set" : nil
    }

    private static func first(_ a: String, _ b: String, _ c: String = "") -> String {
        !a.isEmpty ? a : !b.isEmpty ? b : c
    }
}
