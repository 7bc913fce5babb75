import EventModel

/// nginx access logs in text: the `combined` format (also Apache's), the nginx container
/// image's `main` (combined plus `"$http_x_forwarded_for"`), and ingress-nginx's default
/// `upstream` format:
///
/// ```
/// $remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_referer"
///     "$http_user_agent"                                                       # combined
///     "$http_x_forwarded_for"                                                  # main
///     $request_length $request_time [$proxy_upstream_name] [$proxy_alternative_upstream_name]
///     $upstream_addr $upstream_response_length $upstream_response_time $upstream_status $req_id
/// ```
///
/// Recognised by content: an address, `-`, a user, a bracketed `$time_local` and a quoted
/// request. `authenticated` is true with `$remote_user` set (HTTP basic authentication that
/// nginx checked), otherwise unknown: combined lines do not show bearer tokens, API keys or
/// cookies. The ingress upstream name is the `backend` for the deployment mapping; time has
/// one-second precision. Each line becomes a front-door event (`FrontDoor`).
enum NginxAccessLog: TextFormat {
    static let name = "nginx"

    static func sniff(_ l: TextLine) -> Bool {
        guard l.count >= 7, l.isAddress(0), l.equals(1, "-"), l.isBracketed(3), l.isQuoted(4) else { return false }
        let t = l[3]
        return t.count >= 20 && t[2] == 0x2F && t[6] == 0x2F
    }

    static func decode(_ l: TextLine, context ctx: inout DecodeContext) -> DecodeResult {
        var q = FrontDoorRequest()
        q.time = AccessTime.commonLog(l[3])
        q.timeText = l.text(3, &ctx, max: 40)
        if q.time == nil { return badTime(q.timeText, &ctx) }
        q.peer = l.text(0, &ctx, max: 64)
        q.principal = l.text(2, &ctx, max: 128)
        if !q.principal.isEmpty { q.authenticated = true }
        (q.method, q.target) = request(l[4], &ctx)
        q.status = l.text(5, &ctx, max: 8)
        q.bytesOut = l.text(6, &ctx, max: 20)
        q.userAgent = l.text(8, &ctx, max: 512)
        if l.count >= 14, l.isBracketed(11) {  // ingress-nginx `upstream`
            q.bytesIn = l.text(9, &ctx, max: 20)
            q.durationMs = AccessTime.secondsAsMillis(l[10])
            q.backend = l.text(11, &ctx, max: 256)
            q.upstreamAddr = trimComma(l.text(13, &ctx, max: 256))
            if l.count >= 18 { q.requestId = l.text(l.count - 1, &ctx, max: 64) }
        } else if l.count >= 10, l.isQuoted(9) {  // `main`: X-Forwarded-For
            q.forwardedFor = l.text(9, &ctx, max: 256)
        }
        return FrontDoor.event(q, format: name, record: l.bytes, &ctx)
    }

    /// `METHOD target HTTP/x` → (method, target); a request line that is not one (a TLS
    /// handshake sent to the plain port, `-`) gives an empty method and the text as target.
    static func request(_ b: UnsafeRawBufferPointer, _ ctx: inout DecodeContext) -> (String, String) {
        guard let sp = b.firstIndex(of: 0x20), sp > 0, sp <= 16,
            b[0..<sp].allSatisfy({ $0 >= 0x41 && $0 <= 0x5A })
        else { return ("", TextLine.text(b, &ctx, max: 1024)) }
        var end = b.count
        if let last = b.lastIndex(of: 0x20), last > sp, b.count - last > 5,
            b[(last + 1)..<(last + 6)].elementsEqual("HTTP/".utf8)
        {
            end = last
        }
        let method = TextLine.text(UnsafeRawBufferPointer(rebasing: b[0..<sp]), &ctx, max: 16)
        let target = TextLine.text(UnsafeRawBufferPointer(rebasing: b[(sp + 1)..<end]), &ctx, max: 4096)
        return (method, target)
    }

    private static func trimComma(_ s: String) -> String { s.hasSuffix(",") ? String(s.dropLast()) : s }

    /// `decode.bad_time` for a line whose time is not `$time_local`.
    static func badTime(_ text: String, _ ctx: inout DecodeContext) -> DecodeResult {
        .failed(ctx.diagnostic(.error, DecodeCode.badTime, "access-log time '\(text)' is not a time"))
    }
}
