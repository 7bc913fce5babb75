import EventModel
import Foundation

/// The service's HTTP endpoint: `/healthz`, `/metrics` (Prometheus text) and
/// `/findings` (recent committed findings, filtered by `since`, `after`,
/// `severity`, `identity`, `limit`) and `/incidents` (recent closed
/// incidents, same filters; they share the ring with the findings; open
/// incidents are not listed). Bound to loopback by default; when a token is
/// configured every request must carry `Authorization: Bearer <token>` (else
/// 401). Only GET and HEAD; it reads counters and the recent-findings ring and
/// changes nothing. Served by `HTTPServerLoop`, which hands it only complete
/// request heads within `HTTPLimits`.
struct HTTPEndpoint: Sendable {
    let config: WatchConfig.HTTP
    let shared: WatchEngine.Shared

    /// The connection bounds from the config.
    var limits: HTTPLimits {
        var l = HTTPLimits()
        l.headTimeout = config.headTimeout
        l.idleTimeout = config.idleTimeout
        return l
    }

    /// Answers one request.
    func handle(_ req: HTTPHead) -> HTTPReply {
        guard authorized(req) else {
            return .text(401, "unauthorized\n", headers: [("WWW-Authenticate", "Bearer realm=\"trailhound\"")])
        }
        guard req.method == "GET" || req.method == "HEAD" else {
            return .text(405, "only GET\n", headers: [("Allow", "GET, HEAD")])
        }
        switch req.path {
        case "/healthz":
            return .text(200, "ok\n")
        case "/metrics":
            let m = shared.metrics.with { $0 }
            let body = MetricsText.render(m, now: Date().timeIntervalSince1970, rss: MetricsText.residentBytes())
            return HTTPReply(
                status: 200, headers: [("Content-Type", "text/plain; version=0.0.4; charset=utf-8")],
                body: Array(body.utf8))
        case "/findings":
            return findings(req, incidents: false)
        case "/incidents":
            return findings(req, incidents: true)
        default:
            return .text(404, "not found\n")
        }
    }

    /// Constant-time comparison of the bearer token (the scheme name is case-insensitive, RFC 9110 §11.1).
    private func authorized(_ req: HTTPHead) -> Bool {
        guard let token = config.token, !token.isEmpty else { return true }
        guard let h = req.header("authorization"), h.count > 7, h.prefix(7).lowercased() == "bearer " else {
            return false
        }
        let given = Array(h.utf8.dropFirst(7))
        let want = Array(token.utf8)
        var diff = given.count ^ want.count
        for i in 0..<want.count { diff |= Int(want[i] ^ (i < given.count ? given[i] : 0)) }
        return diff == 0
    }

    /// Recent committed findings, or (`incidents`) recent incident lines (open, updated, closed): both share one ring.
    private func findings(_ req: HTTPHead, incidents: Bool) -> HTTPReply {
        let query = req.query
        func q(_ n: String) -> String? { query.first { $0.name == n }?.value }
        var since: Int64?
        if let s = q("since") {
            guard let t = Timestamp.parse(s) else { return .text(400, "since: expected an ISO 8601 time\n") }
            since = t
        }
        var minSev = Severity.info
        if let s = q("severity") {
            guard let v = Severity(name: s) else {
                return .text(400, "severity: info, low, medium, high or critical\n")
            }
            minSev = v
        }
        let after = q("after").flatMap { Int64($0) }
        let identity = q("identity")
        let limit = min(max(Int(q("limit") ?? "") ?? 100, 1), 10_000)
        let all = shared.recent.with { $0.all }
        let picked = all.filter { e in
            (e.detector == WatchEngine.incidentDetector) == incidents && e.severity >= minSev.rawValue
                && (since == nil || e.lastSeen >= since!)
                && (after == nil || e.seq > after!) && (identity == nil || e.identity == identity!)
        }.suffix(limit)
        let body = "[" + picked.map(\.json).joined(separator: ",\n") + "]\n"
        return HTTPReply(status: 200, headers: [("Content-Type", "application/json")], body: Array(body.utf8))
    }
}
