import EventModel
import Foundation
import Runtime

/// POSTs each finding as JSON to a receiver. Undelivered findings wait in
/// the outbox (on disk, bounded by `maxQueue`), so they survive a receiver
/// outage and a restart; failures are retried with exponential backoff (0.25 s
/// doubling to 30 s). A 4xx other than 408/429 means the receiver will never
/// take that finding: it is counted and skipped. Each request carries
/// `X-Trailhound-Seq` (also `seq` in the body) so a receiver can drop the
/// rare repeat (a response lost after the receiver stored the finding).
final class WebhookSink: FindingSink {
    let name = "webhook"
    let minSeverity: Severity
    private let target: HTTPPost.Target
    private let config: WatchConfig.Webhook
    private let metrics: Locked<MetricValues>
    private var failures = 0
    private var lastReport = 0.0

    init?(config: WatchConfig.Webhook, metrics: Locked<MetricValues>) {
        guard let t = HTTPPost.Target(url: config.url) else { return nil }
        target = t
        self.config = config
        self.metrics = metrics
        minSeverity = config.minSeverity
    }

    /// Most findings kept for this sink.
    var maxQueue: Int { config.maxQueue }

    func prepare(saved: SinkMark?, startAfter: Int64) throws -> SinkMark {
        saved ?? SinkMark(delivered: startAfter)
    }

    func deliver(_ entries: [OutboxEntry], mark: SinkMark, commit: (SinkMark) -> Void) -> Double? {
        var m = mark
        for e in entries {
            if e.severity >= minSeverity.rawValue, let delay = send(e) { return delay }
            m.delivered = e.seq
            commit(m)
        }
        return nil
    }

    /// nil when done with the entry (delivered or rejected), else the delay before a retry.
    private func send(_ e: OutboxEntry) -> Double? {
        var headers = [("X-Trailhound-Seq", String(e.seq))]
        if let token = config.token { headers.append(("Authorization", "Bearer \(token)")) }
        let r = HTTPPost.post(target, body: e.json, headers: headers, timeout: config.timeout)
        switch r {
        case .status(let code) where (200..<300).contains(code):
            if failures > 0 {
                Terminal.err(
                    "trailhound: note: webhook \(config.url) reachable again after \(failures) failed attempt(s)")
            }
            failures = 0
            return nil
        case .status(let code) where (400..<500).contains(code) && code != 408 && code != 429:
            metrics.with { $0.webhookRejected += 1 }
            Terminal.err(
                "trailhound: error: webhook \(config.url) refused finding seq \(e.seq) with HTTP \(code); skipped it [webhook.rejected]"
            )
            return nil
        default:
            failures += 1
            metrics.with { $0.webhookFailures += 1 }
            let why: String
            if case .status(let code) = r {
                why = "HTTP \(code)"
            } else if case .failed(let msg) = r {
                why = msg
            } else {
                why = "?"
            }
            let now = Date().timeIntervalSince1970
            if failures == 1 || now - lastReport > 60 {
                lastReport = now
                Terminal.err(
                    "trailhound: warning: webhook \(config.url): \(why); retrying with backoff, findings wait in the outbox [webhook.unavailable]"
                )
            }
            return min(30, 0.25 * pow(2, Double(min(failures - 1, 8))))
        }
    }
}
