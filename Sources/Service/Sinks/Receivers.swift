import EventModel
import Foundation
import HTTPTransport
import Runtime

/// The fields of an outbox record (finding or incident) that messages for people show.
struct RecordSummary {
    var id = ""
    var isIncident = false
    var title = ""
    var severity = "info"
    var detector = ""
    var identity = ""
    var account = ""
    var firstSeen = ""
    var lastSeen = ""
    var explanation = ""
    var mitre: [String] = []

    /// Parses the native JSON line; unknown or missing keys stay empty (a record written by an
    /// older build still gives a message).
    init(json: String) {
        guard let data = json.data(using: .utf8),
            let o = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return }
        func s(_ k: String, _ limit: Int = 512) -> String { String(((o[k] as? String) ?? "").prefix(limit)) }
        id = s("id")
        isIncident = s("type") == "incident"
        title = s("title", 300)
        severity = s("severity")
        detector = isIncident ? ((o["detectors"] as? [String]) ?? []).prefix(5).joined(separator: ", ") : s("detector")
        identity = s("identity")
        account = s("account")
        firstSeen = s("first_seen")
        lastSeen = s("last_seen")
        explanation = s("explanation", 2000)
        mitre = ((o["mitre"] as? [String]) ?? []).prefix(10).map { String($0.prefix(20)) }
    }
}

/// The JSON a receiver that takes arbitrary JSON gets for a record: native or OCSF.
func payload(_ e: OutboxEntry, _ format: WatchConfig.SinkFormat) -> String {
    switch format {
    case .native: e.json
    case .ocsf: OCSFFormatter.detectionFinding(json: e.json) ?? e.json
    }
}

/// The generic JSON webhook: one POST per finding with `X-Trailhound-Seq` (also `seq` in the
/// native body) so a receiver can drop the rare repeat; a 4xx other than 408/429 is final.
struct WebhookAPI: ReceiverAPI {
    let config: WatchConfig.Webhook
    var batchSize: Int { 1 }

    func request(_ entries: [OutboxEntry]) -> HTTPTransport.Request? {
        let e = entries[0]
        var headers = [("Content-Type", "application/json"), ("X-Trailhound-Seq", String(e.seq))]
        if let token = config.token { headers.append(("Authorization", "Bearer \(token)")) }
        return .init(
            url: config.url, headers: headers, body: Array(payload(e, config.format).utf8), timeout: config.timeout)
    }

    func verdict(_ r: HTTPTransport.Response, _ entries: [OutboxEntry]) -> ReceiverVerdict {
        statusVerdict(r)
    }
}

/// The usual meaning of a status: 2xx stored, 429 slow down, 408/5xx try again, other 4xx final.
func statusVerdict(_ r: HTTPTransport.Response, detail: String = "") -> ReceiverVerdict {
    let what = "HTTP \(r.status)" + (detail.isEmpty ? "" : " \(detail)")
    switch r.status {
    case 200..<300: return .delivered
    case 429: return .retry(what, counts: false)
    case 408, 500...: return .retry(what, counts: true)
    default: return .rejected(what)
    }
}

/// A short, printable excerpt of an answer body for messages (receivers' bodies are untrusted).
func excerpt(_ r: HTTPTransport.Response) -> String {
    String(r.text.prefix(200).map { $0.isASCII && !$0.isNewline ? $0 : " " })
}

/// Slack incoming webhook: a readable message (text for notifications, blocks for the channel)
/// per incident or finding of high severity or above; others are skipped. Slack answers `ok`,
/// or a 4xx with a word (`invalid_payload`, `no_service`, …) that no retry will change.
struct SlackAPI: ReceiverAPI {
    let config: WatchConfig.Webhook
    var batchSize: Int { 1 }

    func request(_ entries: [OutboxEntry]) -> HTTPTransport.Request? {
        let r = RecordSummary(json: entries[0].json)
        guard r.isIncident || entries[0].severity >= Severity.high.rawValue else { return nil }
        return .init(
            url: config.url, headers: [("Content-Type", "application/json")], body: Array(Self.message(r).utf8),
            timeout: config.timeout)
    }

    func verdict(_ r: HTTPTransport.Response, _ entries: [OutboxEntry]) -> ReceiverVerdict {
        statusVerdict(r, detail: excerpt(r))
    }

    /// `{"text":…,"blocks":[header, section with fields, context]}`.
    static func message(_ r: RecordSummary) -> String {
        let kind = r.isIncident ? "Incident" : "Finding"
        let text = "[\(r.severity.uppercased())] \(kind): \(r.title)"
        var fields = [
            "*Severity*\n\(r.severity)", "*Identity*\n`\(escape(r.identity))`",
            "*\(r.isIncident ? "Detectors" : "Detector")*\n\(escape(r.detector))",
            "*Seen*\n\(r.firstSeen) – \(r.lastSeen)",
        ]
        if !r.account.isEmpty { fields.append("*Account*\n\(escape(r.account))") }
        if !r.mitre.isEmpty { fields.append("*MITRE ATT&amp;CK*\n\(r.mitre.joined(separator: ", "))") }
        var blocks = [
            "{\"type\":\"header\",\"text\":{\"type\":\"plain_text\",\"text\":"
                + JSONText.quote(String(text.prefix(150))) + "}}",
            "{\"type\":\"section\",\"fields\":["
                + fields.map { "{\"type\":\"mrkdwn\",\"text\":" + JSONText.quote($0) + "}" }.joined(separator: ",")
                + "]}",
        ]
        if !r.explanation.isEmpty {
            blocks.append(
                "{\"type\":\"section\",\"text\":{\"type\":\"mrkdwn\",\"text\":"
                    + JSONText.quote(String(escape(r.explanation).prefix(2900))) + "}}")
        }
        blocks.append(
            "{\"type\":\"context\",\"elements\":[{\"type\":\"mrkdwn\",\"text\":"
                + JSONText.quote("Trailhound · \(kind.lowercased()) `\(r.id)`") + "}]}")
        return "{\"text\":" + JSONText.quote(escape(text)) + ",\"blocks\":[" + blocks.joined(separator: ",") + "]}"
    }

    /// Slack's three control characters in mrkdwn (a log value cannot turn into a link or mention).
    static func escape(_ s: String) -> String {
        s.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}

/// PagerDuty Events API v2: `trigger` with `dedup_key` = the incident's or finding's id, so a
/// repeat updates the same alert. 202 `{"status":"success"}` stored, 400 `invalid event` final,
/// 429 slow down, 5xx try again.
struct PagerDutyAPI: ReceiverAPI {
    let config: WatchConfig.Webhook
    var batchSize: Int { 1 }

    func request(_ entries: [OutboxEntry]) -> HTTPTransport.Request? {
        let e = entries[0]
        let r = RecordSummary(json: e.json)
        let summary = String(("[\(r.severity)] " + r.title).prefix(1024))
        var p = "{\"summary\":" + JSONText.quote(summary)
        p += ",\"source\":" + JSONText.quote(r.identity.isEmpty ? "trailhound" : String(r.identity.prefix(255)))
        p += ",\"severity\":" + JSONText.quote(Self.severity(r.severity))
        if !r.lastSeen.isEmpty { p += ",\"timestamp\":" + JSONText.quote(r.lastSeen) }
        if !r.detector.isEmpty {
            p += ",\"component\":" + JSONText.quote(r.detector) + ",\"class\":" + JSONText.quote(r.detector)
        }
        if !r.account.isEmpty { p += ",\"group\":" + JSONText.quote(r.account) }
        p += ",\"custom_details\":" + payload(e, config.format) + "}"
        var body = "{\"routing_key\":" + JSONText.quote(config.token ?? "") + ",\"event_action\":\"trigger\""
        body += ",\"dedup_key\":" + JSONText.quote(r.id.isEmpty ? "trailhound-\(e.seq)" : r.id)
        body += ",\"client\":\"Trailhound\",\"payload\":" + p + "}"
        return .init(
            url: config.url, headers: [("Content-Type", "application/json")], body: Array(body.utf8),
            timeout: config.timeout)
    }

    func verdict(_ r: HTTPTransport.Response, _ entries: [OutboxEntry]) -> ReceiverVerdict {
        statusVerdict(r, detail: excerpt(r))
    }

    /// critical → critical, high → error, medium → warning, low and info → info.
    static func severity(_ s: String) -> String {
        switch s {
        case "critical": "critical"
        case "high": "error"
        case "medium": "warning"
        default: "info"
        }
    }
}
