import ByteJSON
import EventModel

/// Envoy and Istio access logs in JSON (Istio's default JSON encoding, `meshConfig.accessLogEncoding:
/// JSON`): `start_time`, `method`, `path` (the original path when Envoy rewrote it), `protocol`,
/// `response_code`, `response_flags`, `bytes_received`, `bytes_sent`, `duration` (ms),
/// `upstream_cluster`, `upstream_host`, `downstream_remote_address`, `x_forwarded_for`,
/// `user_agent`, `authority`, `request_id`.
///
/// Recognised by `start_time` and `response_code` with `downstream_remote_address` or
/// `upstream_cluster`. The peer is `downstream_remote_address` (in a sidecar's inbound log,
/// often the ingress gateway: then the `X-Forwarded-For` rule of `FrontDoor` applies); the
/// server is named by `authority`, the backend is `upstream_cluster`. Envoy logs no credential
/// marker by default; an `authorization` / `has_auth` key added to the format is read like
/// nginx JSON's. `response_flags` (`UAEX` external authorization denied, `NR` no route, …) are
/// kept as a parameter.
enum EnvoyAccessLog: RecordFormat {
    static let name = "envoy"

    static func sniff(_ f: RecordFields) -> Bool {
        f.has("start_time") && f.has("response_code")
            && (f.has("downstream_remote_address") || f.has("upstream_cluster"))
    }

    enum Key: Int, CaseIterable {
        case startTime, method, path, status, flags, bytesIn, bytesOut, duration, cluster, upstreamHost
        case downstream, xff, userAgent, authority, requestId, hasAuth, authorization
    }

    static let keys = JSONKeyTable([
        "start_time", "method", "path", "response_code", "response_flags", "bytes_received", "bytes_sent", "duration",
        "upstream_cluster", "upstream_host", "downstream_remote_address", "x_forwarded_for", "user_agent", "authority",
        "request_id", "has_auth", "authorization",
    ])

    static func decode(_ f: RecordFields, context ctx: inout DecodeContext) throws(JSONError) -> DecodeResult {
        var v = [String](repeating: "", count: keys.count)
        var present = [Bool](repeating: false, count: keys.count)
        var time: Int64?
        for m in f.members {
            guard let i = keys.index(of: m.key), let value = SourceSupport.present(m.value) else { continue }
            present[i] = true
            if i == Key.startTime.rawValue { time = try SourceSupport.time(value, &ctx) }
            let secret = i == Key.authorization.rawValue  // only its presence is kept, never interned
            let t = try ctx.text(value, max: i == Key.path.rawValue ? 4096 : secret ? 8 : 512, intern: !secret)
            v[i] = t == "-" ? "" : secret && !t.isEmpty ? "set" : t
        }
        guard let time else {
            let text = v[Key.startTime.rawValue]
            return .failed(
                ctx.diagnostic(
                    .error, text.isEmpty ? DecodeCode.missingField : DecodeCode.badTime,
                    text.isEmpty ? "Envoy access record has no start_time" : "start_time '\(text)' is not a time"))
        }
        var result = FrontDoor.event(request(v, present, time), format: name, record: FrontDoor.span(f), &ctx)
        result.modifyEvent { e in
            SourceSupport.put(&e.parameters, "response_flags", SourceSupport.bounded(v[Key.flags.rawValue], 64))
        }
        return result
    }

    private static func request(_ v: [String], _ present: [Bool], _ time: Int64) -> FrontDoorRequest {
        func val(_ k: Key) -> String { v[k.rawValue] }
        var q = FrontDoorRequest()
        q.time = time
        q.timeText = val(.startTime)
        q.method = val(.method)
        q.target = val(.path)
        q.status = val(.status)
        q.bytesIn = val(.bytesIn)
        q.bytesOut = val(.bytesOut)
        q.durationMs = Int64(val(.duration))
        q.backend = val(.cluster)
        q.upstreamAddr = val(.upstreamHost)
        q.peer = val(.downstream)
        q.forwardedFor = val(.xff)
        q.userAgent = val(.userAgent)
        q.host = val(.authority)
        q.requestId = val(.requestId)
        q.authenticated = NginxJSONLog.marker(
            val(.hasAuth), present[Key.hasAuth.rawValue], val(.authorization), present[Key.authorization.rawValue])
        return q
    }
}
