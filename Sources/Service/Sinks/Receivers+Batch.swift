import EventModel
import Foundation
import HTTPTransport
import Runtime

/// Splunk HTTP Event Collector: batched events `{"time":…,"sourcetype":…,"event":…}` with
/// `Authorization: Splunk <token>`. HEC answers `{"text":…,"code":N}`: 0 stored; 503 (code 9,
/// server busy) and 429 slow down; other 5xx try again; 400 (bad data) and 401/403 (token
/// missing, invalid or disabled) will not change with a retry and are reported.
struct SplunkHECAPI: ReceiverAPI {
    let config: WatchConfig.Webhook
    var batchSize: Int { config.batchSize }

    func request(_ entries: [OutboxEntry]) -> HTTPTransport.Request? {
        var body = ""
        for e in entries {
            let seconds = String(format: "%.3f", Double(e.lastSeen) / 1000)
            body += "{\"time\":\(seconds),\"source\":\"trailhound\",\"sourcetype\":" + JSONText.quote(sourcetype)
            if let index = config.index { body += ",\"index\":" + JSONText.quote(index) }
            body += ",\"event\":" + payload(e, config.format) + "}\n"
        }
        let headers = [("Content-Type", "application/json"), ("Authorization", "Splunk \(config.token ?? "")")]
        return .init(url: config.url, headers: headers, body: Array(body.utf8), timeout: config.timeout)
    }

    private var sourcetype: String {
        config.sourcetype ?? (config.format == .ocsf ? "ocsf:detection_finding" : "trailhound:finding")
    }

    func verdict(_ r: HTTPTransport.Response, _ entries: [OutboxEntry]) -> ReceiverVerdict {
        let answer = Self.answer(r)
        let detail = answer.map { "code \($0.code) \"\($0.text)\"" } ?? excerpt(r)
        if r.status == 200 && (answer?.code ?? 0) == 0 { return .delivered }
        if r.status == 503 || r.status == 429 || answer?.code == 9 {
            return .retry("HTTP \(r.status) \(detail) (server busy)", counts: false)
        }
        return statusVerdict(r, detail: detail)
    }

    /// `{"text":…,"code":N}` when the body is one.
    static func answer(_ r: HTTPTransport.Response) -> (text: String, code: Int)? {
        guard let o = (try? JSONSerialization.jsonObject(with: Data(r.body))) as? [String: Any],
            let code = o["code"] as? Int
        else { return nil }
        return (String(((o["text"] as? String) ?? "").prefix(200)), code)
    }
}

/// Elasticsearch / OpenSearch `_bulk`: NDJSON `index` actions with `_id` = finding id + seq (a
/// resend overwrites instead of duplicating). The answer is read per item, not only by status:
/// with `"errors":true` the stored items are done, 429/5xx items are retried alone, the others
/// (mapping errors, …) are reported. Basic auth (`username`/`password_env`) or `api_key_env`.
struct ElasticsearchAPI: ReceiverAPI {
    let config: WatchConfig.Webhook
    var batchSize: Int { config.batchSize }

    func request(_ entries: [OutboxEntry]) -> HTTPTransport.Request? {
        let index = config.index ?? "trailhound-findings"
        var body = ""
        for e in entries {
            let id = RecordSummary(json: e.json).id
            body +=
                "{\"index\":{\"_index\":" + JSONText.quote(index) + ",\"_id\":" + JSONText.quote("\(id)-\(e.seq)")
                + "}}\n"
            let doc = payload(e, config.format)
            let stamp = "\"@timestamp\":" + JSONText.quote(Timestamp.format(e.lastSeen))
            body += doc.hasPrefix("{") && doc.count > 2 ? "{" + stamp + "," + doc.dropFirst() : doc
            body += "\n"
        }
        var headers = [("Content-Type", "application/x-ndjson")]
        if let key = config.apiKey {
            headers.append(("Authorization", "ApiKey \(key)"))
        } else if let user = config.username {
            let basic = Data("\(user):\(config.password ?? "")".utf8).base64EncodedString()
            headers.append(("Authorization", "Basic \(basic)"))
        }
        let base = config.url.hasSuffix("/") ? String(config.url.dropLast()) : config.url
        let url = base.hasSuffix("/_bulk") ? base : base + "/_bulk"
        return .init(url: url, headers: headers, body: Array(body.utf8), timeout: config.timeout)
    }

    func verdict(_ r: HTTPTransport.Response, _ entries: [OutboxEntry]) -> ReceiverVerdict {
        guard r.status == 200 else { return statusVerdict(r, detail: excerpt(r)) }
        guard let o = (try? JSONSerialization.jsonObject(with: Data(r.body))) as? [String: Any] else {
            return .retry("HTTP 200 with an answer that is not _bulk JSON: \(excerpt(r))", counts: true)
        }
        guard (o["errors"] as? Bool) == true else { return .delivered }
        let items = (o["items"] as? [[String: Any]]) ?? []
        guard items.count == entries.count else {
            return .retry("_bulk answered \(items.count) items for \(entries.count)", counts: true)
        }
        var stored: Set<Int64> = []
        var rejected: [Int64: String] = [:]
        var retryable = 0
        var lastRetry = ""
        for (item, e) in zip(items, entries) {
            let result = (item.values.first as? [String: Any]) ?? [:]
            let status = (result["status"] as? Int) ?? 0
            let error = result["error"] as? [String: Any]
            let why =
                "item status \(status) "
                + String(
                    "\((error?["type"] as? String) ?? ""): \((error?["reason"] as? String) ?? "")".prefix(200))
            switch status {
            case 200..<300: stored.insert(e.seq)
            case 429, 500...:
                retryable += 1
                lastRetry = why
            default: rejected[e.seq] = why
            }
        }
        return .partial(stored: stored, rejected: rejected, retry: "\(retryable) item(s) to retry (\(lastRetry))")
    }
}
