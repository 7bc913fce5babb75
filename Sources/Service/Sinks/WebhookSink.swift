import EventModel
import Foundation
import Runtime

#if canImport(Glibc)
    import Glibc
#endif

/// POSTs each finding as JSON to a receiver. Undelivered findings wait in
/// the outbox (on disk, bounded by `maxQueue`), so they survive a receiver
/// outage and a restart; failures are retried with exponential backoff (0.25 s
/// doubling to 30 s). A 4xx other than 408/429 means the receiver will never
/// take that finding: it is counted and skipped. A finding the receiver takes
/// but fails on (5xx, 408, no answer within `timeout_s`, a broken answer)
/// `maxAttempts` times in a row is appended to the dead-letter file, counted,
/// and the next one is sent, so one finding cannot hold the queue forever.
/// While the receiver is unreachable (no connection) nothing is counted
/// against the finding: the queue waits. Each request carries
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
    /// Failed attempts on the finding with this seq.
    private var attempts: (seq: Int64, count: Int) = (-1, 0)

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
            attempts = (-1, 0)
            return nil
        case .status(let code) where (400..<500).contains(code) && code != 408 && code != 429:
            metrics.with { $0.webhookRejected += 1 }
            Terminal.err(
                "trailhound: error: webhook \(config.url) refused finding seq \(e.seq) with HTTP \(code); skipped it [webhook.rejected]"
            )
            return nil
        case .unreachable(let why):
            return retry(why)
        case .status(let code):
            return countAttempt(e, why: "HTTP \(code)", counts: code != 429)
        case .failed(let why):
            return countAttempt(e, why: why, counts: true)
        }
    }

    /// A failed attempt on a finding the receiver got (`counts`; 429 asks to slow down and does
    /// not): after `maxAttempts` the finding goes to the dead-letter file.
    private func countAttempt(_ e: OutboxEntry, why: String, counts: Bool) -> Double? {
        if attempts.seq != e.seq { attempts = (e.seq, 0) }
        if counts { attempts.count += 1 }
        guard config.maxAttempts > 0, attempts.count >= config.maxAttempts else { return retry(why) }
        failures += 1
        metrics.with { $0.webhookFailures += 1 }
        guard let path = config.deadLetterPath, appendDeadLetter(e, why: why, to: path) else {
            Terminal.err(
                "trailhound: error: webhook: cannot append finding seq \(e.seq) to the dead-letter file \(config.deadLetterPath ?? "-"); it stays queued [webhook.dead_letter_failed]"
            )
            return min(30, 0.25 * pow(2, Double(min(failures - 1, 8))))
        }
        metrics.with { $0.webhookDeadLetter += 1 }
        Terminal.err(
            "trailhound: error: webhook \(config.url) failed \(attempts.count) times on finding seq \(e.seq) (\(why)); moved it to \(path) [webhook.dead_letter]"
        )
        attempts = (-1, 0)
        return nil
    }

    /// Counts a failure, warns (at most once a minute) and returns the backoff delay.
    private func retry(_ why: String) -> Double {
        failures += 1
        metrics.with { $0.webhookFailures += 1 }
        let now = Date().timeIntervalSince1970
        if failures == 1 || now - lastReport > 60 {
            lastReport = now
            Terminal.err(
                "trailhound: warning: webhook \(config.url): \(why); retrying with backoff, findings wait in the outbox [webhook.unavailable]"
            )
        }
        return min(30, 0.25 * pow(2, Double(min(failures - 1, 8))))
    }

    /// One JSON line: `{"seq":…,"attempts":…,"last_error":…,"dead_lettered_at":…,"finding":{…}}`,
    /// written with one `write` and flushed to disk before the mark moves past the finding.
    private func appendDeadLetter(_ e: OutboxEntry, why: String, to path: String) -> Bool {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        let at = Timestamp.format(Int64(Date().timeIntervalSince1970 * 1000))
        var line =
            "{\"seq\":\(e.seq),\"attempts\":\(attempts.count),\"last_error\":\(JSONText.quote(why)),"
            + "\"dead_lettered_at\":\(JSONText.quote(at)),\"finding\":\(e.json)}\n"
        return line.withUTF8 { Terminal.writeAll(fd, $0) } && fsync(fd) == 0
    }
}
