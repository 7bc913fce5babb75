import ByteJSON
import EventModel

/// Azure Application Gateway access logs, as diagnostic settings export them (one record per
/// request, also inside `{"records":[…]}`): `category: ApplicationGatewayAccessLog`, `time`,
/// `resourceId`, and `properties` with `clientIP`, `clientPort`, `httpMethod`, `requestUri`
/// (path), `requestQuery`, `userAgent`, `httpStatus`, `receivedBytes`, `sentBytes`,
/// `timeTaken`, `host`, `originalHost`, `originalRequestUriWithArgs`, `serverRouted`,
/// `backendPoolName`, `transactionId`.
///
/// Recognised by the category; it comes before the generic Azure envelope in sniffing order.
/// The client is `clientIP` (the immediate client: a proxy in front is handled by
/// `FrontDoor`'s rule only when `X-Forwarded-For` is logged, which it is not by default). The
/// server is `originalHost` (else `host`), the backend `backendPoolName` (else
/// `serverRouted`). `timeTaken` is milliseconds in v1 gateways and seconds with a fraction in
/// v2: a value with a decimal point is read as seconds. Credentials are not logged.
enum AppGatewayAccessLog: RecordFormat {
    static let name = "azure-appgw"

    static func sniff(_ f: RecordFields) -> Bool {
        guard let c = f.first("category"), c.kind == .string, f.has("properties") else { return false }
        return c.stringBytes.elementsEqual("ApplicationGatewayAccessLog".utf8)
    }

    static func decode(_ f: RecordFields, context ctx: inout DecodeContext) throws(JSONError) -> DecodeResult {
        let p = f.first("properties")
        var q = FrontDoorRequest()
        q.time = try SourceSupport.time(f.first("time"), &ctx)
        q.timeText = try ctx.text(f.first("time"), max: 40)
        guard q.time != nil else {
            return .failed(
                ctx.diagnostic(
                    .error, q.timeText.isEmpty ? DecodeCode.missingField : DecodeCode.badTime,
                    q.timeText.isEmpty ? "Application Gateway record has no time" : "time '\(q.timeText)' is not a time"
                ))
        }
        func prop(_ k: StaticString, _ max: Int = 256) throws(JSONError) -> String {
            let t = try ctx.text(SourceSupport.member(p, k), max: max)
            return t == "-" ? "" : t
        }
        q.peer = try prop("clientIP", 64)
        q.method = try prop("httpMethod", 16)
        let uri = try prop("requestUri", 4096)
        let query = try prop("requestQuery", 1024)
        q.target = query.isEmpty ? uri : uri + "?" + query
        q.status = try prop("httpStatus", 8)
        q.bytesIn = try prop("receivedBytes", 20)
        q.bytesOut = try prop("sentBytes", 20)
        q.userAgent = try prop("userAgent", 512)
        let taken = try prop("timeTaken", 24)
        q.durationMs = taken.contains(".") ? AccessTime.secondsAsMillis(text: taken) : Int64(taken)
        let original = try prop("originalHost")
        q.host = original.isEmpty ? try prop("host") : original
        let pool = try prop("backendPoolName")
        q.backend = pool.isEmpty ? try prop("serverRouted") : pool
        q.upstreamAddr = try prop("serverRouted")
        q.requestId = try prop("transactionId", 128)
        var result = FrontDoor.event(q, format: name, record: FrontDoor.span(f), &ctx)
        guard case .event = result else { return result }
        let status = try prop("serverStatus", 8)
        let gateway = try ctx.text(f.first("resourceId"), max: 512)
        result.modifyEvent { e in
            SourceSupport.put(&e.parameters, "server_status", status)
            SourceSupport.put(&e.parameters, "gateway", gateway)
        }
        return result
    }
}
