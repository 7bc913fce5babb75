import EventModel

/// One HTTP request as a front door (load balancer, reverse proxy, ingress, mesh sidecar)
/// logged it, before it becomes a `provider: workflow` event. Each front-door format fills
/// what its log holds; `FrontDoor.event` does the rest the same way for all of them.
struct FrontDoorRequest {
    var time: Int64?
    /// Time as written (for diagnostics and the event id).
    var timeText = ""
    /// Address of the peer that connected to the front door (`ip` or `ip:port`).
    var peer = ""
    /// `X-Forwarded-For` as logged (bounded).
    var forwardedFor = ""
    var method = ""
    /// Request target: a path with its query, or an absolute URL (ALB, GCP).
    var target = ""
    var status = ""
    var bytesIn = ""
    var bytesOut = ""
    var durationMs: Int64?
    var userAgent = ""
    /// `Host` header / authority / domain name.
    var host = ""
    /// Target group, upstream name, cluster or backend pool the request was sent to.
    var backend = ""
    /// Address of the server instance that answered.
    var upstreamAddr = ""
    /// Whether credentials were presented, when the log says.
    var authenticated: Bool?
    /// User name the front door authenticated (nginx `$remote_user`).
    var principal = ""
    var requestId = ""
}

/// Turns front-door requests into `provider: workflow` events of the server they reached.
///
/// - client: the peer address the front door saw. When that peer is private or loopback
///   (another proxy of ours in front) and `X-Forwarded-For` is logged, the client is the
///   right-most public address of that list: hops are appended left to right, so the
///   right-most public one was added by our own proxy, while anything to its left was sent
///   by the client and can be forged. The peer is kept as the `peer` parameter.
/// - server: the deployment mapping's name for the host / backend, else the host (port
///   dropped, lower case), else the backend, else the front door's name. Kind: the
///   mapping's, else the catalogue kind whose endpoint the path matched.
/// - action: the catalogue's for the path (`validate_code`, `version_probe`, …); other paths
///   become `<METHOD> <first three segments>` (read-only for GET / HEAD), as in `WorkflowLog`.
/// - parameters: `front_door`, `path` (no query), `query` (bounded to 512 bytes), `status`,
///   `method`, `bytes_in`, `bytes_out`, `duration_ms`, `host`, `backend`, `upstream_addr`,
///   `forwarded_for`, `peer`, `server_kind`, `cve`, `authenticated` (`true`/`false`, absent
///   when the log does not say).
/// - event id: `<format>:` and the request id when logged, else a hash of the record's bytes and its line,
///   so two identical lines are two requests but a file scanned twice is counted once.
enum FrontDoor {
    /// Longest query string kept as a parameter.
    static let maxQuery = 512

    static func event(
        _ q: FrontDoorRequest, format: String, record: UnsafeRawBufferPointer, _ ctx: inout DecodeContext
    ) -> DecodeResult {
        var req = q
        let (path, query, urlHost) = splitTarget(req.target)
        if req.host.isEmpty { req.host = urlHost }
        let host = hostName(req.host)
        let deployment = ctx.frontDoor.deployment(host: host, backend: req.backend, format: format)
        let method =
            req.method.utf8.contains { $0 >= 0x61 && $0 <= 0x7A }
            ? SourceSupport.bounded(req.method.uppercased(), 32) : req.method
        let hit = ctx.frontDoor.catalogue.index(path: path, method: method, kind: deployment?.kind)
        let server =
            deployment?.name
            ?? (!host.isEmpty ? host : !req.backend.isEmpty ? SourceSupport.bounded(req.backend, 128) : format)
        let client = clientAddress(peer: req.peer, forwardedFor: req.forwardedFor)
        var r = WorkflowLog.Record()
        r.time = req.time
        r.timeText = req.timeText
        r.set(.server, server)
        r.set(.requestId, SourceSupport.bounded(req.requestId, 128))
        r.set(.method, method)
        r.set(.path, SourceSupport.bounded(path, 1024))
        r.set(.status, req.status)
        r.set(.sourceIP, client)
        r.set(.userAgent, SourceSupport.bounded(req.userAgent, 512))
        if let a = req.authenticated { r.set(.authenticated, a ? "true" : "false") }
        r.set(.principal, SourceSupport.bounded(req.principal, 128))
        if let hit { r.set(.action, ctx.frontDoor.catalogue.endpoints[hit].action) }
        r.set(.durationMs, AccessTime.millisText(req.durationMs))
        r.set(.eventId, eventId(format, req.requestId, record, ctx.origin))
        var result = WorkflowLog.finish(r, &ctx, capacity: 32)
        result.modifyEvent { e in
            var kind = deployment?.kind ?? ""
            var cves = ""
            if let hit {
                let endpoint = ctx.frontDoor.catalogue.endpoints[hit]
                if kind.isEmpty, endpoint.kind != EndpointCatalog.anyKind { kind = endpoint.kind }
                if !endpoint.cves.isEmpty { cves = endpoint.cves.joined(separator: ",") }
            }
            addParameters(
                &e.parameters, req, format: format, query: query, host: host, client: client, kind: kind, cves: cves)
        }
        return result
    }

    /// The parameters the workflow schema has no field for.
    private static func addParameters(
        _ p: inout [String: String], _ req: FrontDoorRequest, format: String, query: String, host: String,
        client: String, kind: String, cves: String
    ) {
        SourceSupport.put(&p, "front_door", format)
        SourceSupport.put(&p, "query", SourceSupport.bounded(query, maxQuery))
        SourceSupport.put(&p, "bytes_in", req.bytesIn)
        SourceSupport.put(&p, "bytes_out", req.bytesOut)
        SourceSupport.put(&p, "host", host)
        SourceSupport.put(&p, "backend", SourceSupport.bounded(req.backend, 256))
        SourceSupport.put(&p, "upstream_addr", SourceSupport.bounded(req.upstreamAddr, 256))
        SourceSupport.put(&p, "forwarded_for", SourceSupport.bounded(req.forwardedFor, 256))
        if client != req.peer { SourceSupport.put(&p, "peer", req.peer) }
        SourceSupport.put(&p, "server_kind", kind)
        SourceSupport.put(&p, "cve", cves)
    }

    /// `(path, query, host)` of a request target: an absolute URL loses its scheme and
    /// authority (the authority is returned as host); the fragment is dropped.
    static func splitTarget(_ target: String) -> (String, String, String) {
        let u = Array(target.utf8)
        var start = 0
        var host = ""
        var k = 0
        while k < u.count, (u[k] | 0x20) >= 0x61, (u[k] | 0x20) <= 0x7A { k += 1 }
        if k > 0, u.count - k >= 3, u[k] == 0x3A, u[k + 1] == 0x2F, u[k + 2] == 0x2F {
            var j = k + 3
            while j < u.count, u[j] != 0x2F, u[j] != 0x3F { j += 1 }
            host = String(decoding: u[(k + 3)..<j], as: UTF8.self)
            start = j
        }
        var end = u.count
        if let hash = u[start...].firstIndex(of: 0x23) { end = hash }
        let mark = u[start..<end].firstIndex(of: 0x3F) ?? end
        let path = mark > start ? String(decoding: u[start..<mark], as: UTF8.self) : "/"
        let query = mark < end ? String(decoding: u[(mark + 1)..<end], as: UTF8.self) : ""
        return (path, query, host)
    }

    /// Host without its port, lower case, bounded.
    static func hostName(_ host: String) -> String {
        guard !host.isEmpty else { return "" }
        let h = SourceSupport.withoutPort(host) ?? host
        return SourceSupport.bounded(SourceSupport.lower(h), 253)
    }

    /// The client: the peer, or the right-most public `X-Forwarded-For` hop when the peer is
    /// private or loopback (see the type's documentation).
    static func clientAddress(peer: String, forwardedFor: String) -> String {
        guard !forwardedFor.isEmpty, peer.isEmpty || isPrivate(SourceSupport.withoutPort(peer) ?? peer) else {
            return peer
        }
        for hop in forwardedFor.split(separator: ",", maxSplits: 16).reversed() {
            let h = hop.trimmingCharacters(" ")
            let ip = SourceSupport.withoutPort(h) ?? h
            let s = SourceAddress.parse(ip)
            if s.kind == .ip, !isPrivate(ip) { return ip }
        }
        return peer
    }

    /// Loopback, RFC 1918, carrier-grade NAT, link-local (IPv4); loopback, ULA, link-local (IPv6).
    static func isPrivate(_ ip: String) -> Bool {
        let parts = ip.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4 {
            let o = parts.map { Int($0) ?? -1 }
            switch (o[0], o[1]) {
            case (10, _), (127, _), (192, 168), (169, 254): return true
            case (172, 16...31), (100, 64...127): return true
            default: return false
            }
        }
        let l = SourceSupport.lower(ip)
        return l == "::1" || l.hasPrefix("fc") || l.hasPrefix("fd") || l.hasPrefix("fe80:")
    }

    /// The bytes of a JSON record, from its first member's value to its last one's (for the event id).
    static func span(_ f: RecordFields) -> UnsafeRawBufferPointer {
        guard let a = f.members.first?.value, let b = f.members.last?.value, let base = a.bytes.baseAddress else {
            return UnsafeRawBufferPointer(start: nil, count: 0)
        }
        return UnsafeRawBufferPointer(start: base, count: Swift.max(0, b.end - a.start))
    }

    /// `<format>:<request id>` when logged (the same id may reach several front doors' logs),
    /// else `<format>:<hash of the record>-<line>`.
    static func eventId(
        _ format: String, _ requestId: String, _ record: UnsafeRawBufferPointer, _ origin: Origin
    ) -> String {
        if !requestId.isEmpty { return format + ":" + SourceSupport.bounded(requestId, 128) }
        var h = FNV1a()
        h.add(record)
        return format + ":" + String(h.value, radix: 16) + "-" + String(origin.record)
    }
}

extension Substring {
    /// Without leading and trailing `c`.
    fileprivate func trimmingCharacters(_ c: Character) -> String {
        String(drop { $0 == c }.reversed().drop { $0 == c }.reversed())
    }
}
