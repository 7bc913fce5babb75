import EventModel
import FlyingFox
import Foundation

/// The service's HTTP endpoint (FlyingFox, no NIO): `/healthz`, `/metrics`
/// (Prometheus text) and `/findings` (recent committed findings, filtered by
/// `since`, `after`, `severity`, `identity`, `limit`) and `/incidents`
/// (recent closed incidents, same filters; they share the ring with the
/// findings; open incidents are not listed). Bound to loopback by
/// default; when a token is configured every request must carry
/// `Authorization: Bearer <token>` (else 401). Only GET; it reads counters
/// and the recent-findings ring and changes nothing.
struct HTTPEndpoint: HTTPHandler, Sendable {
    let config: WatchConfig.HTTP
    let shared: WatchEngine.Shared

    /// Builds the server (not started).
    func makeServer() throws -> HTTPServer {
        if config.host.contains(":") {
            return HTTPServer(
                address: try sockaddr_in6.inet6(ip6: config.host, port: config.port), timeout: 10,
                logger: .disabled, handler: self)
        }
        return HTTPServer(
            address: try sockaddr_in.inet(ip4: config.host, port: config.port), timeout: 10,
            logger: .disabled, handler: self)
    }

    func handleRequest(_ request: HTTPRequest) async throws -> HTTPResponse { handle(request) }

    func handle(_ req: HTTPRequest) -> HTTPResponse {
        guard authorized(req) else {
            return HTTPResponse(
                statusCode: .unauthorized, headers: [HTTPHeader("WWW-Authenticate"): "Bearer realm=\"trailhound\""],
                body: Data("unauthorized\n".utf8))
        }
        guard req.method == .GET || req.method == .HEAD else {
            return HTTPResponse(statusCode: .methodNotAllowed, body: Data("only GET\n".utf8))
        }
        switch req.path {
        case "/healthz":
            return text("ok\n")
        case "/metrics":
            let m = shared.metrics.with { $0 }
            let body = MetricsText.render(m, now: Date().timeIntervalSince1970, rss: MetricsText.residentBytes())
            return HTTPResponse(
                statusCode: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: Data(body.utf8))
        case "/findings":
            return findings(req, incidents: false)
        case "/incidents":
            return findings(req, incidents: true)
        default:
            return HTTPResponse(statusCode: .notFound, body: Data("not found\n".utf8))
        }
    }

    private func text(_ s: String) -> HTTPResponse {
        HTTPResponse(statusCode: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: Data(s.utf8))
    }

    /// Constant-time comparison of the bearer token.
    private func authorized(_ req: HTTPRequest) -> Bool {
        guard let token = config.token, !token.isEmpty else { return true }
        guard let h = req.headers[.authorization], h.hasPrefix("Bearer ") else { return false }
        let given = Array(h.dropFirst(7).utf8)
        let want = Array(token.utf8)
        var diff = given.count ^ want.count
        for i in 0..<want.count { diff |= Int(want[i] ^ (i < given.count ? given[i] : 0)) }
        return diff == 0
    }

    /// Recent committed findings, or (`incidents`) recent closed incidents: both share one ring.
    private func findings(_ req: HTTPRequest, incidents: Bool) -> HTTPResponse {
        func q(_ n: String) -> String? { req.query.first { $0.name == n }?.value }
        var since: Int64?
        if let s = q("since") {
            guard let t = Timestamp.parse(s) else { return bad("since: expected an ISO 8601 time") }
            since = t
        }
        var minSev = Severity.info
        if let s = q("severity") {
            guard let v = Severity(name: s) else { return bad("severity: info, low, medium, high or critical") }
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
        return HTTPResponse(statusCode: .ok, headers: [.contentType: "application/json"], body: Data(body.utf8))
    }

    private func bad(_ msg: String) -> HTTPResponse {
        HTTPResponse(statusCode: .badRequest, body: Data((msg + "\n").utf8))
    }
}
